using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Platform.Notifications;
using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows a notification on macOS with <c>osascript</c>, run as the agent's user in that user's session. This is the
/// fallback for an agent without the notifier app (UNUserNotificationCenter needs a signed .app). The text is
/// embedded as escaped AppleScript string literals and passed as one argv element: no shell is involved.
/// </summary>
/// <remarks>
/// osascript exits 0 once the request is handed to the notification system, even when macOS then drops it
/// (notifications for Script Editor turned off, Focus, never authorised), and it cannot report a click or an
/// action. So the outcome is <c>submitted</c>, never <c>shown</c>, and no capability is advertised.
/// </remarks>
internal sealed class OsaScriptPresenter : INotificationPresenter
{
    private const string OsaScript = "/usr/bin/osascript";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public string Name => "system";

    public PresenterCapabilities Capabilities => PresenterCapabilities.None;

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
            return PresentationResult.Failed(reason);
        }

        string script = OsaScriptCommand.BuildScript(title, body, url);
        ProcessResult result = await ProcessRunner.RunAsync(OsaScript, ["-e", script], s_timeout, ct).ConfigureAwait(false);
        return result.Succeeded
            ? PresentationResult.Submitted("osascript handed it to the notification system; macOS does not say whether it was shown")
            : PresentationResult.Failed($"osascript {result.Describe()}");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetInteractionHandler(Action<NotificationInteraction> handler)
    {
        // osascript's notifications report nothing back.
    }
}
