using System.Data.Common;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Push;

/// <summary>
/// Periodic work of one instance: refresh its presence rows (so others see its machines online), purge expired
/// nonces, console sessions and console keys past their grace, and deliver anything a lost wake-up left waiting.
/// </summary>
internal sealed class FleetSweeper : BackgroundService
{
    private readonly FleetContext _context;
    private readonly PushService _push;
    private readonly ConsoleKeyRepository _consoleKeys;
    private readonly ILogger _logger;

    public FleetSweeper(FleetContext context, PushService push, ConsoleKeyRepository consoleKeys, ILogger<FleetSweeper> logger)
    {
        _context = context;
        _push = push;
        _consoleKeys = consoleKeys;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_context.Limits.SweepInterval, _context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    long now = _context.NowMs;
                    await _context.Presence.HeartbeatAsync(_context.InstanceId, now, stoppingToken).ConfigureAwait(false);
                    await _context.Nonces.PurgeExpiredAsync(now, stoppingToken).ConfigureAwait(false);
                    await _context.ConsoleSessions.DeleteExpiredAsync(now, stoppingToken).ConfigureAwait(false);
                    await _consoleKeys.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
                    await _push.SweepAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
                {
                    Log.SweepFailed(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _context.Presence.RemoveInstanceAsync(_context.InstanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
        {
            Log.SweepFailed(_logger, ex.Message);
        }
    }
}
