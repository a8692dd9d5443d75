namespace Launcher.Fleet.Services;

/// <summary>A machine as the admin API and the console show it.</summary>
internal sealed record MachineView(
    string Id,
    string SpiffeId,
    string Thumbprint,
    string KeyClass,
    string AttestationLevel,
    string? Group,
    ReportedFacts Facts,
    CertificateView? Certificate,
    bool Online,
    DateTimeOffset? LastSeen,
    DateTimeOffset EnrolledAt,
    bool Revoked,
    DateTimeOffset? RevokedAt,
    EvidenceView Evidence,
    AppleAttestationView? AppleAttestation,
    IReadOnlyList<GrantView> Grants);

/// <summary>Facts as the machine reported them: <see cref="Reported"/> is always true (nothing here is verified).</summary>
internal sealed record ReportedFacts(bool Reported, string? Serial, string? HardwareUuid, string? Model, string? OsName, string? OsVersion, string? Hostname);

/// <summary>The machine certificate on record.</summary>
internal sealed record CertificateView(string Serial, DateTimeOffset NotAfter, DateTimeOffset RenewAfter, string? Pem);

/// <summary>What the server holds as evidence for the machine key.</summary>
internal sealed record EvidenceView(string KeyClass, string KeyClassSource, string AttestationLevel, bool HardwareVerified, string Summary, string? TpmMaker, string? Detail);

/// <summary>A grant and why the machine has it.</summary>
internal sealed record GrantView(string Grant, string Why);

/// <summary>A notification and the outcome for each user.</summary>
internal sealed record NotificationView(
    string Id,
    string MachineId,
    uint? Uid,
    bool AllUsers,
    string Title,
    string Body,
    string? Url,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<RecipientView> Recipients,
    string? BroadcastId = null);

/// <summary>
/// A broadcast and its aggregate outcome: machines per state, users per outcome, and a page of machines (by id,
/// optionally in one state) with their outcomes; <see cref="Next"/> is the <c>after</c> of the next page.
/// </summary>
internal sealed record BroadcastView(
    string Id,
    BroadcastTargetView Target,
    uint? Uid,
    bool AllUsers,
    string Title,
    string Body,
    string? Url,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    long Machines,
    IReadOnlyDictionary<string, long> States,
    IReadOnlyDictionary<string, long> Recipients,
    IReadOnlyList<BroadcastMachineView> Items,
    string? Next);

/// <summary>Which machines a broadcast is for: <c>{"allMachines": true}</c> or <c>{"group": "eng"}</c>.</summary>
internal sealed record BroadcastTargetView(bool? AllMachines, string? Group);

/// <summary>One machine's copy of a broadcast: its state and the outcome for each user.</summary>
internal sealed record BroadcastMachineView(string MachineId, string NotificationId, string State, DateTimeOffset? DeliveredAt, IReadOnlyList<RecipientView> Recipients);

/// <summary>The outcome for one user.</summary>
internal sealed record RecipientView(uint Uid, string Outcome, string? Action, DateTimeOffset? At);

/// <summary>An audit log entry.</summary>
internal sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string? MachineId, string? Detail);

/// <summary>An admin-supplied Apple MDA certificate: it attests the device (serial, UDID, OS), not the daemon's key.</summary>
internal sealed record AppleAttestationView(string? Serial, string? Udid, string? OsVersion, string SerialMatch, string LeafSha256, DateTimeOffset RecordedAt);
