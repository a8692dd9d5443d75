namespace Launcher.Agent.Presenters;

/// <summary>
/// Names, codes and bounds of the freedesktop.org Desktop Notifications interface as the D-Bus presenter uses it
/// (https://specifications.freedesktop.org/notification-spec/latest/).
/// </summary>
internal static class FreedesktopNotifications
{
    public const string Service = "org.freedesktop.Notifications";
    public const string Path = "/org/freedesktop/Notifications";
    public const string Interface = "org.freedesktop.Notifications";

    /// <summary>The action key the server invokes when the notification itself is clicked.</summary>
    public const string DefaultActionKey = "default";

    /// <summary>Keys of the notification's own actions are this prefix and their index, so a sender's action id
    /// (any text) can never collide with <see cref="DefaultActionKey"/>.</summary>
    public const string ActionKeyPrefix = "action-";

    /// <summary>Server capabilities that matter here (GetCapabilities).</summary>
    public const string CapabilityActions = "actions";
    public const string CapabilityBodyMarkup = "body-markup";

    /// <summary>NotificationClosed reasons.</summary>
    public const uint ClosedExpired = 1;
    public const uint ClosedDismissed = 2;
    public const uint ClosedByCall = 3;
    public const uint ClosedUndefined = 4;

    /// <summary>Application name shown by servers.</summary>
    public const string AppName = "Launcher";

    /// <summary>Notifications whose clicks and closes are still awaited; beyond this the oldest is forgotten (its
    /// outcome stays <c>shown</c>).</summary>
    public const int MaxTracked = 1_000;

    /// <summary>Signals that arrive before the Notify reply is processed, kept until it is.</summary>
    public const int MaxEarlySignals = 64;

    /// <summary>How long a signal for an unknown id is kept waiting for its Notify reply.</summary>
    public static readonly TimeSpan EarlySignalLifetime = TimeSpan.FromSeconds(5);

    /// <summary>A notification that expires sooner than this asks the server to take it down then; otherwise the
    /// server's default display time applies (-1).</summary>
    public static readonly TimeSpan MaxExplicitTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Connecting to the bus, and each call to the server.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
}
