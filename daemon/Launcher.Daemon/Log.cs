using Microsoft.Extensions.Logging;

namespace Launcher.Daemon;

/// <summary>Every log message of launcherd. Event ids 100-299 and 400-449 (the fleet link) belong to the daemon and are never reused.</summary>
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

    [LoggerMessage(EventId = 250, Level = LogLevel.Warning, Message = "Accepting a connection failed ({Error}: {Detail}); backing off briefly, open connections keep being served ({Suppressed} more failures not logged)")]
    public static partial void AcceptFailed(ILogger logger, string error, string detail, int suppressed);

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

    [LoggerMessage(EventId = 251, Level = LogLevel.Information, Message = "Connection caps: {Total} in total ({Reserve} of them reserved for admins), {PerUid} per non-root uid")]
    public static partial void ConnectionCaps(ILogger logger, int total, int reserve, int perUid);

    [LoggerMessage(EventId = 252, Level = LogLevel.Debug, Message = "File descriptors: soft limit {Before} raised to {Soft} (hard {Hard}), {Open} open at start")]
    public static partial void FileDescriptors(ILogger logger, ulong before, ulong soft, ulong hard, int open);

    [LoggerMessage(EventId = 253, Level = LogLevel.Warning, Message = "RLIMIT_NOFILE is {Soft}: the connection cap is {Total} instead of {Configured} (raise LimitNOFILE)")]
    public static partial void ConnectionCapsReduced(ILogger logger, ulong soft, int configured, int total);

    [LoggerMessage(EventId = 254, Level = LogLevel.Warning, Message = "Cannot read the file-descriptor limit ({Reason}); using the configured connection caps")]
    public static partial void FileDescriptorsUnknown(ILogger logger, string reason);

    [LoggerMessage(EventId = 255, Level = LogLevel.Information, Message = "Notification {Id} not queued for agent {AgentId}: {Max} deliveries to it are still being written; the redelivery sweep sends it")]
    public static partial void DeliveryDeferred(ILogger logger, string id, string agentId, int max);

    [LoggerMessage(EventId = 256, Level = LogLevel.Error, Message = "Disk full under the state directory: {Method} answered with the disk-full error ({Detail})")]
    public static partial void DiskFull(ILogger logger, string method, string detail);
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Agent {AgentId} presenter capabilities: clicks {Clicks}, actions {Actions}, truthful delivery {TruthfulDelivery} (none advertised: {Absent})")]
    public static partial void AgentCapabilities(ILogger logger, string agentId, bool clicks, bool actions, bool truthfulDelivery, bool absent);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "Notification {Id} of uid {Uid}: outcome {Previous} became {Outcome}")]
    public static partial void NotificationOutcomeUpdated(ILogger logger, string id, uint uid, string previous, string outcome);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information, Message = "Notification {Id} clicked by uid {Uid}: action {ActionId}")]
    public static partial void NotificationActionClicked(ILogger logger, string id, uint uid, string actionId);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "Notification {Id}: {Warning}")]
    public static partial void NotificationSendWarning(ILogger logger, string id, string warning);
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Fleet link: connected to {Server} as machine {MachineId}")]
    public static partial void FleetConnected(ILogger logger, string server, string machineId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Fleet link: {Server}: {Reason}; next attempt in {DelaySeconds:0.0} s")]
    public static partial void FleetAttemptFailed(ILogger logger, string server, string reason, double delaySeconds);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Fleet link: disconnected from {Server}: {Reason}")]
    public static partial void FleetDisconnected(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Fleet link: enrolled with {Server} as machine {MachineId} ({SpiffeId}), certificate valid until {NotAfter:o}")]
    public static partial void FleetEnrolled(ILogger logger, string server, string machineId, string spiffeId, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Fleet link: enrolment with {Server} failed: {Reason}")]
    public static partial void FleetEnrolFailed(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Fleet link: left {Server} (machine {MachineId}) at an admin's request")]
    public static partial void FleetLeft(ILogger logger, string server, string machineId);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Fleet link: machine certificate renewed, valid until {NotAfter:o}, renewal after {RenewAfter:o}")]
    public static partial void FleetCertificateRenewed(ILogger logger, DateTimeOffset notAfter, DateTimeOffset renewAfter);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "Fleet link: renewing the machine certificate failed: {Reason}")]
    public static partial void FleetRenewFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 408, Level = LogLevel.Information, Message = "Fleet link: notification {FleetId} from the server stored as {Id}")]
    public static partial void FleetNotificationStored(ILogger logger, string fleetId, string id);

    [LoggerMessage(EventId = 409, Level = LogLevel.Debug, Message = "Fleet link: notification {FleetId} from the server is a repeat of {Id}; accepted again")]
    public static partial void FleetNotificationRepeated(ILogger logger, string fleetId, string id);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Fleet link: outcome {Outcome} of {FleetId} for uid {Uid} reported")]
    public static partial void FleetOutcomeReported(ILogger logger, string fleetId, uint uid, string outcome);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Fleet link: the server refused outcome {Outcome} of {FleetId} for uid {Uid} ({Code}: {Reason}); dropped")]
    public static partial void FleetOutcomeRefused(ILogger logger, string fleetId, uint uid, string outcome, int code, string reason);

    [LoggerMessage(EventId = 412, Level = LogLevel.Information, Message = "Fleet link: the server asked for a proof for audience {Audience}")]
    public static partial void FleetProofRequested(ILogger logger, string audience);

    [LoggerMessage(EventId = 413, Level = LogLevel.Error, Message = "Fleet link: the stored fleet state is unusable: {Reason}")]
    public static partial void FleetStateUnusable(ILogger logger, string reason);

    [LoggerMessage(EventId = 414, Level = LogLevel.Warning, Message = "Fleet link: a call from the server before authentication was refused: {Method}")]
    public static partial void FleetCallBeforeAuthentication(ILogger logger, string method);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Fleet link: the outcome queue failed: {Reason}")]
    public static partial void FleetOutcomeQueueFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 416, Level = LogLevel.Error, Message = "Fleet link: an attempt failed unexpectedly; the link retries later")]
    public static partial void FleetLinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 417, Level = LogLevel.Information, Message = "Fleet link: not enrolled; enrolling with {Server} as configured (fleet:server, fleet:enrolmentToken), attempt {Attempt}")]
    public static partial void FleetAutoEnrolling(ILogger logger, string server, int attempt);

    [LoggerMessage(EventId = 418, Level = LogLevel.Warning, Message = "Fleet link: {Server} refused the configured enrolment: {Reason}. No more automatic attempts until launcherd restarts with a new fleet:enrolmentToken, or an admin runs `launcherctl fleet leave --yes` or `launcherctl fleet enroll`")]
    public static partial void FleetConfiguredEnrolmentRefused(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 419, Level = LogLevel.Warning, Message = "Fleet link: fleet:server is {Configured} but the machine is enrolled with {Server}; the link stays with it (run `launcherctl fleet leave --yes` to enrol with the configured server)")]
    public static partial void FleetConfiguredServerMismatch(ILogger logger, string configured, string server);
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Refused the user-key proof of uid {Uid}: {Reason}")]
    public static partial void UserKeyProofRefused(ILogger logger, uint uid, string reason);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "The machine key is unusable: proof {ProofId} signed by the {KeyClass} user key of uid {Uid}")]
    public static partial void UserKeyProofServed(ILogger logger, uint uid, string keyClass, string proofId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Refused the user key of {Caller} at agent/register: {Reason}")]
    public static partial void UserKeyRefused(ILogger logger, string caller, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Critical, Message = "OUTBOX DAMAGED: {Reason}; {Lost} committed notifications are no longer in the outbox. The daemon continues (identity and proofs are unaffected); `launcherctl status` shows this until the next start")]
    public static partial void OutboxDamaged(ILogger logger, string reason, long lost);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "The broken outbox was moved to {Path} (kept for forensics); a new, empty outbox was created")]
    public static partial void OutboxMovedAside(ILogger logger, string path);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "The outbox's committed count in {Path} is unreadable ({Problem}); it is rewritten from the database, and a loss before this start cannot be told")]
    public static partial void OutboxCountUnreadable(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 206, Level = LogLevel.Error, Message = "Recording the outbox's committed count in {Path} failed; the notifications are stored, but a later loss of them may go unnoticed until the next successful write")]
    public static partial void OutboxCountWriteFailed(ILogger logger, Exception exception, string path);

    // 160-189: configuration, systemd integration and diagnostics.
    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "Configuration: file {File}; key store {KeyStore}; {Fleet}")]
    public static partial void ConfigurationInUse(ILogger logger, string file, string keyStore, string fleet);

    [LoggerMessage(EventId = 161, Level = LogLevel.Information, Message = "systemd watchdog: pinging every {IntervalSeconds} s")]
    public static partial void WatchdogEnabled(ILogger logger, double intervalSeconds);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "systemd watchdog: ping withheld: {Reason}")]
    public static partial void WatchdogWithheld(ILogger logger, string reason);

    [LoggerMessage(EventId = 163, Level = LogLevel.Debug, Message = "Diagnostics requested by {Caller}")]
    public static partial void DiagnoseRequested(ILogger logger, string caller);


    [LoggerMessage(EventId = 450, Level = LogLevel.Information, Message = "Fleet enrolment: TPM evidence gathered (EK {EkKind}, EK certificate: {HasCertificate}) in {Milliseconds:F0} ms")]
    public static partial void FleetEvidenceGathered(ILogger logger, string ekKind, bool hasCertificate, double milliseconds);

    [LoggerMessage(EventId = 451, Level = LogLevel.Information, Message = "Fleet enrolment: the server's credential was activated by the TPM in {Milliseconds:F0} ms")]
    public static partial void FleetCredentialActivated(ILogger logger, double milliseconds);
}
