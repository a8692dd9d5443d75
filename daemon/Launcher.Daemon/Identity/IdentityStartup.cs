using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Identity;

/// <summary>Loads (or on a new machine creates) the identity before the socket opens.</summary>
internal sealed class IdentityStartup : IHostedService
{
    private readonly IdentityService _identity;
    private readonly KeyStoreSelection _selection;
    private readonly ILogger<IdentityStartup> _logger;

    public IdentityStartup(IdentityService identity, KeyStoreSelection selection, ILogger<IdentityStartup> logger)
    {
        _identity = identity;
        _selection = selection;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string warning in _selection.Warnings)
        {
            Log.KeyStoreWarning(_logger, warning);
        }

        _identity.Initialize();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
