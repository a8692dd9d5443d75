using Microsoft.Extensions.Logging;

namespace Launcher.Fleet;

/// <summary>Every log message of launcher-fleet. Event ids are unique in this assembly and never reused. No token ever reaches a log.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "launcher-fleet listening on {Url} (audience {Audience}, instance {Instance}, database {Database})")]
    public static partial void Listening(ILogger logger, string url, string audience, string instance, string database);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Machine {MachineId} enrolled ({KeyClass}; re-enrolment: {Reenrolment})")]
    public static partial void Enrolled(ILogger logger, string machineId, string keyClass, bool reenrolment);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Connection {Connection}: enrolment refused ({Check})")]
    public static partial void EnrolmentRefused(ILogger logger, string connection, string check);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Connection {Connection} from {Remote}: {Method} refused with {Code} ({Check})")]
    public static partial void HandshakeRefused(ILogger logger, string connection, string remote, string method, int code, string check);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Connection {Connection} from {Remote}: authenticated as {MachineId}")]
    public static partial void Authenticated(ILogger logger, string connection, string remote, string machineId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Connection {Connection}: closed ({Reason})")]
    public static partial void LinkClosed(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Upgrade from {Remote} refused: {Count} unauthenticated connections in flight (retry after {RetryAfter} s)")]
    public static partial void Overloaded(ILogger logger, string remote, int count, int retryAfter);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Connection {Connection}: not authenticated within {Seconds} s, closing")]
    public static partial void AuthenticationDeadline(ILogger logger, string connection, double seconds);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Notification {Id} delivered to {MachineId}")]
    public static partial void Delivered(ILogger logger, string id, string machineId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Notification {Id} to {MachineId} not delivered yet: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string id, string machineId, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Machine {MachineId} revoked by {Actor}")]
    public static partial void Revoked(ILogger logger, string machineId, string actor);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Admin API {Method} {Path} from {Remote} denied: {Reason}")]
    public static partial void AdminDenied(ILogger logger, string method, string path, string remote, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "LISTEN connection to PostgreSQL lost ({Reason}); reconnecting")]
    public static partial void WakeListenerLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Background sweep failed: {Reason}")]
    public static partial void SweepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Request {Method} {Path} failed; incident {Incident}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path, string incident);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Verify for audience {Audience} refused with {Code} ({Check})")]
    public static partial void VerifyRefused(ILogger logger, string audience, int code, string check);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Connection {Connection}: replaced by a newer connection of {MachineId}")]
    public static partial void Replaced(ILogger logger, string connection, string machineId);

    [LoggerMessage(EventId = 18, Level = LogLevel.Debug, Message = "Wake-up for {MachineId} received")]
    public static partial void WakeReceived(ILogger logger, string machineId);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Group commit of {Count} delivery marks and outcomes failed: {Reason}")]
    public static partial void AckBatchFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Broadcast {Id} to {Target} stored for {Machines} machines by {Actor}")]
    public static partial void BroadcastCreated(ILogger logger, string id, string target, long machines, string actor);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Broadcast {Id}: sent to {Sent} connected machines on this instance ({Accepted} accepted) in {Milliseconds} ms")]
    public static partial void BroadcastSent(ILogger logger, string id, int sent, int accepted, long milliseconds);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Console: admin {AdminId} signed in from {Remote}")]
    public static partial void ConsoleSignedIn(ILogger logger, string adminId, string remote);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Console: sign-in from {Remote} refused: {Reason}")]
    public static partial void ConsoleSignInRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Console: admin {AdminId} signed out")]
    public static partial void ConsoleSignedOut(ILogger logger, string adminId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Console: {Method} {Path} from {Remote} refused: no valid antiforgery token")]
    public static partial void ConsoleAntiforgeryRefused(ILogger logger, string method, string path, string remote);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Console: {Method} {Path} from {Remote} without a session, sent to the sign-in page")]
    public static partial void ConsoleNoSession(ILogger logger, string method, string path, string remote);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Console: enrolment token {TokenId} created by {Actor}")]
    public static partial void ConsoleTokenCreated(ILogger logger, string tokenId, string actor);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Console: notification {Id} to {MachineId} created by {Actor}")]
    public static partial void ConsoleNotificationCreated(ILogger logger, string id, string machineId, string actor);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Console: enrolment token {TokenId} revoked by {Actor}")]
    public static partial void ConsoleTokenRevoked(ILogger logger, string tokenId, string actor);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Console: sign-in from {Remote} refused for {RetryAfterSeconds} s: too many failed sign-ins from that address")]
    public static partial void ConsoleSignInThrottled(ILogger logger, string remote, int retryAfterSeconds);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "Console: broadcast {Id} to {Target} created by {Actor}")]
    public static partial void ConsoleBroadcastCreated(ILogger logger, string id, string target, string actor);

    [LoggerMessage(EventId = 1230, Level = LogLevel.Warning, Message = "Console key ring: element {Name} in the database is not valid XML ({Reason}); ignored")]
    public static partial void ConsoleKeyUnreadable(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "Console key ring: {Count} live elements, at the bound; only the newest were read (old keys are deleted {Grace} after they expire)")]
    public static partial void ConsoleKeysTruncated(ILogger logger, int count, TimeSpan grace);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Information, Message = "Console key ring: imported {Imported} element(s) from {Directory} into the database ({Known} already there); the directory is no longer used")]
    public static partial void ConsoleKeysImported(ILogger logger, int imported, int known, string directory);

    [LoggerMessage(EventId = 1233, Level = LogLevel.Warning, Message = "Console key ring: {File} is not a readable key file ({Reason}); left in place, not imported")]
    public static partial void ConsoleKeyFileUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Connection {Connection}: enrolment of key {Thumbprint} refused: {Reason}")]
    public static partial void EnrolmentAttestationRefused(ILogger logger, string connection, string thumbprint, string reason);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Connection {Connection}: TPM evidence for key {Thumbprint} verified ({Level}, maker {Maker}); credential activation pending")]
    public static partial void ActivationPending(ILogger logger, string connection, string thumbprint, string level, string maker);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Machine {MachineId}: attestation level {Level} ({Detail})")]
    public static partial void AttestationRecorded(ILogger logger, string machineId, string level, string detail);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "Machine {MachineId}: Apple attestation certificate refused: {Reason}")]
    public static partial void AppleAttestationRefused(ILogger logger, string machineId, string reason);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "Machine {MachineId}: Apple attestation certificate recorded (serial {SerialMatch})")]
    public static partial void AppleAttestationRecorded(ILogger logger, string machineId, string serialMatch);
}
