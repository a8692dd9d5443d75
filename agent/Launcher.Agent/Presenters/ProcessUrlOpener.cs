using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Opens a URL with the desktop's opener (<c>xdg-open</c> on Linux, <c>open</c> on macOS), found by absolute path
/// and run through the process runner as the agent's user, in that user's session.
/// </summary>
internal sealed class ProcessUrlOpener : IUrlOpener
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly string[] _candidates;
    private readonly string _missing;
    private readonly IReadOnlyDictionary<string, string>? _environment;

    private ProcessUrlOpener(string[] candidates, string missing, IReadOnlyDictionary<string, string>? environment)
    {
        _candidates = candidates;
        _missing = missing;
        _environment = environment;
    }

    /// <summary>xdg-open, given the session bus address so the desktop's handler is reached.</summary>
    public static ProcessUrlOpener XdgOpen(string? sessionBus) => new(
        ["/usr/bin/xdg-open", "/usr/local/bin/xdg-open", "/bin/xdg-open"],
        "xdg-open is not installed (package xdg-utils)",
        sessionBus is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [SessionBusAddress.Variable] = sessionBus });

    /// <summary>macOS's /usr/bin/open (Launch Services: the user's default browser).</summary>
    public static ProcessUrlOpener MacOpen() => new(["/usr/bin/open"], "/usr/bin/open is missing", null);

    public async Task<string?> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!UrlPolicy.IsOpenable(url))
        {
            return "only absolute http and https URLs are opened";
        }

        string? opener = Array.Find(_candidates, File.Exists);
        if (opener is null)
        {
            return _missing;
        }

        ProcessResult result = await ProcessRunner.RunAsync(opener, [url.AbsoluteUri], s_timeout, cancellationToken, _environment).ConfigureAwait(false);
        return result.Succeeded ? null : Path.GetFileName(opener) + " " + result.Describe();
    }
}
