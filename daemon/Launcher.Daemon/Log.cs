using Microsoft.Extensions.Logging;

namespace Launcher.Daemon;

/// <summary>Every log message of launcherd. Event ids 100-299 belong to the daemon and are never reused.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "launcherd {Version} listening on {SocketPath} (state {StateDirectory}, dev {Dev})")]
    public static partial void Listening(ILogger logger, string version, string socketPath, string stateDirectory, bool dev);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Denied {Method} for {Caller}: {Reason}")]
    public static partial void Denied(ILogger logger, string method, string caller, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Refused a connection from {Caller}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string caller, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Connection from {Caller} opened")]
    public static partial void ConnectionOpened(ILogger logger, string caller);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Connection from {Caller} closed: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string caller, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Agent {AgentId} registered for uid {Uid} (pid {Pid}, presenter {Presenter})")]
    public static partial void AgentRegistered(ILogger logger, string agentId, uint uid, int pid, string presenter);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Notification {Id} stored for {Target}, expires {ExpiresAt:o}")]
    public static partial void NotificationStored(ILogger logger, string id, string target, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Notification {Id} acknowledged by uid {Uid}: {Outcome}")]
    public static partial void NotificationAcked(ILogger logger, string id, uint uid, string outcome);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "Delivering notification {Id} to agent {AgentId} failed: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string id, string agentId, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Removed a stale socket at {SocketPath}")]
    public static partial void StaleSocketRemoved(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Stopping: {Connections} connections get {GraceSeconds} s to finish")]
    public static partial void Stopping(ILogger logger, int connections, double graceSeconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Expired {Count} notifications")]
    public static partial void NotificationsExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Notification {Id} failed in uid {Uid}'s session: {Detail}")]
    public static partial void NotificationFailedInSession(ILogger logger, string id, uint uid, string detail);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Accepting a connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "Reading peer credentials failed; connection dropped")]
    public static partial void PeerCredentialsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Redelivery sweep failed")]
    public static partial void RedeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "Identity reset by an admin: the {KeyClass} key {Thumbprint} is deleted; a new identity follows")]
    public static partial void IdentityReset(ILogger logger, string keyClass, string thumbprint);

    [LoggerMessage(EventId = 117, Level = LogLevel.Information, Message = "Created a new {KeyClass} machine identity {Thumbprint}")]
    public static partial void IdentityCreated(ILogger logger, string keyClass, string thumbprint);

    [LoggerMessage(EventId = 118, Level = LogLevel.Information, Message = "Loaded the {KeyClass} machine identity {Thumbprint}")]
    public static partial void IdentityLoaded(ILogger logger, string keyClass, string thumbprint);

    [LoggerMessage(EventId = 119, Level = LogLevel.Critical, Message = "IDENTITY LOST: {Reason}. No new key is created; an admin must run `launcherctl identity reset --yes`")]
    public static partial void IdentityLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 120, Level = LogLevel.Error, Message = "Identity unavailable (will retry): {Reason}")]
    public static partial void IdentityUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "Key store: {Warning}")]
    public static partial void KeyStoreWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Refused a connection from {Caller}: its code-signing check did not finish within {Seconds} s")]
    public static partial void CodeSigningCheckTimedOut(ILogger logger, string caller, double seconds);

    [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "The code-signing check of {Caller} failed; connection refused")]
    public static partial void CodeSigningCheckFailed(ILogger logger, string caller, Exception exception);
}
