using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Opens a URL with <c>xdg-open</c>, found by absolute path and run through the process runner as the agent's
/// user, in that user's session (the session bus address is passed on so the desktop's handler is reached).
/// </summary>
internal sealed class XdgOpenUrlOpener : IUrlOpener
{
    private static readonly string[] s_candidates = ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open", "/bin/xdg-open"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly string? _sessionBus;

    public XdgOpenUrlOpener(string? sessionBus)
    {
        _sessionBus = sessionBus;
    }

    public async Task<string?> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!UrlPolicy.IsOpenable(url))
        {
            return "only absolute http and https URLs are opened";
        }

        string? xdgOpen = Array.Find(s_candidates, File.Exists);
        if (xdgOpen is null)
        {
            return "xdg-open is not installed (package xdg-utils)";
        }

        Dictionary<string, string>? environment = _sessionBus is null ? null : new(StringComparer.Ordinal) { [SessionBusAddress.Variable] = _sessionBus };
        ProcessResult result = await ProcessRunner.RunAsync(xdgOpen, [url.AbsoluteUri], s_timeout, cancellationToken, environment).ConfigureAwait(false);
        return result.Succeeded ? null : "xdg-open " + result.Describe();
    }
}
