using Microsoft.Extensions.Logging;

namespace Launcher.Agent;

/// <summary>Every log message of launcher-agent. Event ids 300-399 belong to the agent and are never reused.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "launcher-agent {Version} starting: socket {SocketPath}, presenter {Presenter}, user key {UserKey}, state {StateDirectory}")]
    public static partial void Starting(ILogger logger, string version, string socketPath, string presenter, string userKey, string stateDirectory);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "The {Presenter} presenter cannot show notifications here: {Reason}. Notifications will be acknowledged as failed with this reason")]
    public static partial void PresenterUnsupported(ILogger logger, string presenter, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Connecting to {SocketPath} (attempt {Attempt})")]
    public static partial void Connecting(ILogger logger, string socketPath, int attempt);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Connected to launcherd (uid {DaemonUid}, pid {DaemonPid}): registered as {AgentId} for uid {Uid}, {Pending} notifications pending")]
    public static partial void Connected(ILogger logger, uint daemonUid, int daemonPid, string agentId, uint uid, int pending);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Lost the connection to launcherd ({Reason}); reconnecting")]
    public static partial void Disconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "launcherd is not reachable: {Reason} Retrying with backoff (up to {MaxSeconds} s between attempts)")]
    public static partial void DaemonUnreachable(ILogger logger, string reason, double maxSeconds);

    [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "Next connection attempt ({Attempt}) in {DelayMs} ms; last: {Reason}")]
    public static partial void Waiting(ILogger logger, int attempt, long delayMs, string reason);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "Refusing the daemon socket {SocketPath}: {Reason}. Nothing was sent to it")]
    public static partial void DaemonRefused(ILogger logger, string socketPath, string reason);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "launcherd refused the registration ({Code}): {Message}")]
    public static partial void RegisterFailed(ILogger logger, int code, string message);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Notification {Id} {Outcome} ({Presenter}): {Reason}")]
    public static partial void NotificationShown(ILogger logger, string id, string presenter, string outcome, string reason);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Notification {Id} not shown: {Reason}")]
    public static partial void NotificationNotShown(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "Notification {Id} delivered again while it is being shown; ignored")]
    public static partial void DuplicateInProgress(ILogger logger, string id);

    [LoggerMessage(EventId = 313, Level = LogLevel.Debug, Message = "Notification {Id} delivered again; not shown twice, acknowledging {Outcome} again")]
    public static partial void DuplicateReAck(ILogger logger, string id, string outcome);

    [LoggerMessage(EventId = 314, Level = LogLevel.Warning, Message = "Notification {Id} dropped: {Max} notifications are already waiting to be shown; the daemon will deliver it again")]
    public static partial void QueueFull(ILogger logger, string id, int max);

    [LoggerMessage(EventId = 315, Level = LogLevel.Warning, Message = "Ignored a notification whose id is {Length} characters (1 to 64 expected)")]
    public static partial void BadNotificationId(ILogger logger, int length);

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning, Message = "Could not save the seen-notifications file: {Reason}. De-duplication continues in memory; a restart before the next successful save may show a notification again")]
    public static partial void SeenSaveFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 317, Level = LogLevel.Warning, Message = "Seen notifications: {Problem}. Notifications seen before may be shown once more")]
    public static partial void SeenLoadProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 318, Level = LogLevel.Debug, Message = "Acknowledged {Id} as {Outcome} (already acknowledged: {Already})")]
    public static partial void AckSent(ILogger logger, string id, string outcome, bool already);

    [LoggerMessage(EventId = 319, Level = LogLevel.Debug, Message = "launcherd no longer has notification {Id} (expired or purged); ack dropped")]
    public static partial void AckNotFound(ILogger logger, string id);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "launcherd refused the ack of {Id} ({Code}): {Message}")]
    public static partial void AckRefused(ILogger logger, string id, int code, string message);

    [LoggerMessage(EventId = 321, Level = LogLevel.Debug, Message = "Ack of {Id} kept for the next connection: {Reason}")]
    public static partial void AckKept(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 322, Level = LogLevel.Warning, Message = "Ack of {Id} dropped: too many unsent acks; the daemon's re-delivery will be answered instead")]
    public static partial void AckDropped(ILogger logger, string id);

    [LoggerMessage(EventId = 323, Level = LogLevel.Information, Message = "Sending {Count} acks kept while disconnected")]
    public static partial void ResendingAcks(ILogger logger, int count);

    [LoggerMessage(EventId = 324, Level = LogLevel.Information, Message = "Loaded the {KeyClass} user key {Thumbprint}")]
    public static partial void UserKeyLoaded(ILogger logger, string keyClass, string thumbprint);

    [LoggerMessage(EventId = 325, Level = LogLevel.Information, Message = "Created a {KeyClass} user key {Thumbprint}")]
    public static partial void UserKeyCreated(ILogger logger, string keyClass, string thumbprint);

    [LoggerMessage(EventId = 326, Level = LogLevel.Error, Message = "The {KeyClass} user key is unusable and is NOT replaced: {Reason}. No user key is offered; remove the file to have a new one created")]
    public static partial void UserKeyUnusable(ILogger logger, string keyClass, string reason);

    [LoggerMessage(EventId = 327, Level = LogLevel.Warning, Message = "No {KeyClass} user key is offered: {Reason}")]
    public static partial void UserKeyRefused(ILogger logger, string keyClass, string reason);

    [LoggerMessage(EventId = 328, Level = LogLevel.Information, Message = "The Secure Enclave is not available ({Reason}); the user key is a software key")]
    public static partial void UserKeyFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 329, Level = LogLevel.Information, Message = "Signed user-key proof {ProofId} for audience {Audience}")]
    public static partial void UserKeySigned(ILogger logger, string proofId, string audience);

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "Refused to sign a user-key proof: {Reason}")]
    public static partial void UserKeySignRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 331, Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 332, Level = LogLevel.Warning, Message = "The daemon did not answer a heartbeat within {TimeoutSeconds} s; reconnecting")]
    public static partial void HeartbeatMissed(ILogger logger, double timeoutSeconds);

    [LoggerMessage(EventId = 350, Level = LogLevel.Information, Message = "Notification {Id}: {Outcome} (action {ActionId}): {Reason}")]
    public static partial void NotificationInteraction(ILogger logger, string id, string outcome, string actionId, string reason);

    [LoggerMessage(EventId = 351, Level = LogLevel.Warning, Message = "Interaction {Outcome} with notification {Id} dropped: {Max} interactions are already waiting to be acknowledged")]
    public static partial void InteractionDropped(ILogger logger, string id, string outcome, int max);

    [LoggerMessage(EventId = 352, Level = LogLevel.Information, Message = "Connected to the D-Bus session bus at {Address}")]
    public static partial void DBusConnected(ILogger logger, string address);

    [LoggerMessage(EventId = 353, Level = LogLevel.Warning, Message = "Lost the D-Bus session bus ({Reason}); {Lost} notifications on screen can no longer report clicks (their outcome stays shown). The next notification connects again")]
    public static partial void DBusDisconnected(ILogger logger, string reason, int lost);

    [LoggerMessage(EventId = 354, Level = LogLevel.Warning, Message = "The notification server is not ready: {Reason}. Tried again with the next notification")]
    public static partial void DBusNotReady(ILogger logger, string reason);

    [LoggerMessage(EventId = 355, Level = LogLevel.Information, Message = "The notification server supports: {Capabilities}")]
    public static partial void DBusServerCapabilities(ILogger logger, string capabilities);

    [LoggerMessage(EventId = 356, Level = LogLevel.Warning, Message = "Notification {Id} is no longer awaited for a click: {Max} notifications are on screen already (its outcome stays shown)")]
    public static partial void DBusUntracked(ILogger logger, string id, int max);

    [LoggerMessage(EventId = 357, Level = LogLevel.Warning, Message = "Notification {Id}: the server invoked an unknown action key {Key}; ignored")]
    public static partial void DBusUnknownAction(ILogger logger, string id, string key);

    [LoggerMessage(EventId = 358, Level = LogLevel.Information, Message = "Notification {Id} closed with reason {Reason} (not the user's doing); its outcome stays shown")]
    public static partial void DBusClosedWithoutOutcome(ILogger logger, string id, uint reason);

    [LoggerMessage(EventId = 359, Level = LogLevel.Warning, Message = "Notification {Id}: its URL is not an absolute http(s) URL; not opened")]
    public static partial void UrlRefused(ILogger logger, string id);

    [LoggerMessage(EventId = 360, Level = LogLevel.Information, Message = "Notification {Id}: opened its URL")]
    public static partial void UrlOpened(ILogger logger, string id);

    [LoggerMessage(EventId = 361, Level = LogLevel.Warning, Message = "Notification {Id}: could not open its URL: {Reason}")]
    public static partial void UrlOpenFailed(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 362, Level = LogLevel.Information, Message = "Started the notifier app {Executable} (pid {Pid})")]
    public static partial void NotifierStarted(ILogger logger, string executable, int pid);

    [LoggerMessage(EventId = 363, Level = LogLevel.Information, Message = "Notification authorisation for the notifier app: {Authorization}")]
    public static partial void NotifierAuthorization(ILogger logger, string authorization);

    [LoggerMessage(EventId = 364, Level = LogLevel.Warning, Message = "The notifier app exited (code {Code}); it is started again with the next notification")]
    public static partial void NotifierExited(ILogger logger, string code);

    [LoggerMessage(EventId = 365, Level = LogLevel.Warning, Message = "Ignored a line from the notifier app: {Reason}")]
    public static partial void NotifierBadLine(ILogger logger, string reason);

    [LoggerMessage(EventId = 366, Level = LogLevel.Debug, Message = "Notifier app: {Line}")]
    public static partial void NotifierOutput(ILogger logger, string line);

    [LoggerMessage(EventId = 367, Level = LogLevel.Warning, Message = "The notifier app is not ready: {Reason}. Tried again with the next notification")]
    public static partial void NotifierNotReady(ILogger logger, string reason);

    // 380-389: configuration.
    [LoggerMessage(EventId = 380, Level = LogLevel.Debug, Message = "Configuration file: {File}")]
    public static partial void ConfigurationInUse(ILogger logger, string file);
}
