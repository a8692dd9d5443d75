using Launcher.Contracts.Notifications;
using Launcher.Platform.Notifications;
using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows a notification on Linux with <c>notify-send</c> (libnotify) on the user's session bus. Without a session
/// bus there is nobody to show it to, and that is reported as a failure with the reason rather than hidden.
/// </summary>
internal sealed class NotifySendPresenter : INotificationPresenter
{
    private const string SessionBusVariable = "DBUS_SESSION_BUS_ADDRESS";
    private static readonly string[] s_candidates = ["/usr/bin/notify-send", "/usr/local/bin/notify-send", "/bin/notify-send"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public string Name => "system";

    bool INotificationPresenter.IsSupported(out string reason) => IsSupported(out reason);

    public Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return PresentAsync(notification.Id, notification.Title, notification.Body, notification.Url, cancellationToken);
    }

    /// <summary>True on Linux with notify-send installed and a session bus to talk to; otherwise false and why.</summary>
    public static bool IsSupported(out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "notify-send is used on Linux only";
            return false;
        }

        if (FindNotifySend() is null)
        {
            reason = "notify-send is not installed (package libnotify-bin)";
            return false;
        }

        if (FindSessionBus() is null)
        {
            reason = $"no D-Bus session bus: {SessionBusVariable} is unset and /run/user/{CurrentUser.EffectiveUid}/bus does not exist (no graphical session?)";
            return false;
        }

        reason = "notify-send available";
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

        string notifySend = FindNotifySend()!;
        string bus = FindSessionBus()!;
        Dictionary<string, string> environment = new(StringComparer.Ordinal) { [SessionBusVariable] = bus };
        ProcessResult result = await ProcessRunner.RunAsync(notifySend, NotifySendCommand.BuildArguments(title, body, url), s_timeout, ct, environment).ConfigureAwait(false);
        return result.Succeeded
            ? new PresentationResult(true, "notify-send delivered it to the notification server")
            : new PresentationResult(false, $"notify-send {result.Describe()}");
    }

    private static string? FindNotifySend() => Array.Find(s_candidates, File.Exists);

    // The address notify-send should use: the inherited one, else the per-user bus systemd-logind provides.
    private static string? FindSessionBus()
    {
        string? inherited = Environment.GetEnvironmentVariable(SessionBusVariable);
        if (!string.IsNullOrWhiteSpace(inherited))
        {
            return inherited;
        }

        string? runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string[] sockets = string.IsNullOrEmpty(runtimeDirectory)
            ? [$"/run/user/{CurrentUser.EffectiveUid}/bus"]
            : [Path.Combine(runtimeDirectory, "bus"), $"/run/user/{CurrentUser.EffectiveUid}/bus"];
        string? socket = Array.Find(sockets, path => File.Exists(path) || IsSocket(path));
        return socket is null ? null : $"unix:path={socket}";
    }

    private static bool IsSocket(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.Directory) == 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
