using Launcher.Contracts.Notifications;
using Launcher.Platform.Notifications;
using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows a notification on macOS with <c>osascript</c>, run as the agent's user in that user's session. This is the
/// fallback for an agent that is not an app bundle (UNUserNotificationCenter needs a signed .app). The text is
/// embedded as escaped AppleScript string literals and passed as one argv element: no shell is involved.
/// </summary>
internal sealed class OsaScriptPresenter : INotificationPresenter
{
    private const string OsaScript = "/usr/bin/osascript";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public string Name => "system";

    bool INotificationPresenter.IsSupported(out string reason) => IsSupported(out reason);

    public Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return PresentAsync(notification.Id, notification.Title, notification.Body, notification.Url, cancellationToken);
    }

    /// <summary>True on macOS with osascript present; otherwise false and why.</summary>
    public static bool IsSupported(out string reason)
    {
        if (!OperatingSystem.IsMacOS())
        {
            reason = "osascript notifications exist on macOS only";
            return false;
        }

        if (!File.Exists(OsaScript))
        {
            reason = $"{OsaScript} is missing";
            return false;
        }

        reason = "osascript available";
        return true;
    }

    /// <summary>Shows the notification; a failure comes back with its reason (for the log and the ack).</summary>
    public async Task<PresentationResult> PresentAsync(string id, string title, string body, string? url, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(body);
        if (!IsSupported(out string reason))
        {
            return new PresentationResult(false, reason);
        }

        string script = OsaScriptCommand.BuildScript(title, body, url);
        ProcessResult result = await ProcessRunner.RunAsync(OsaScript, ["-e", script], s_timeout, ct).ConfigureAwait(false);
        return result.Succeeded
            ? new PresentationResult(true, "osascript displayed it")
            : new PresentationResult(false, $"osascript {result.Describe()}");
    }
}
