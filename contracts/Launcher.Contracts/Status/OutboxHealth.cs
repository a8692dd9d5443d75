namespace Launcher.Contracts.Status;

/// <summary>
/// What the daemon found when it opened its outbox (docs/threat-model.md, "Outbox damage"): an integrity check
/// (<c>PRAGMA quick_check</c>) and a comparison with the durable count of committed notifications it keeps outside
/// the database.
/// </summary>
public sealed record OutboxHealth
{
    /// <summary><see cref="OutboxStates.Ok"/> or <see cref="OutboxStates.RecoveredWithLoss"/>.</summary>
    public required string State { get; init; }

    /// <summary>Committed notifications that are no longer in the outbox (sent before the damage; some may have been
    /// delivered or expired already). 0 when nothing is known to be lost.</summary>
    public long LostNotifications { get; init; }

    /// <summary>What was found, for people: e.g. "the database is not an SQLite database".</summary>
    public string? Reason { get; init; }

    /// <summary>When the daemon found the damage (its start).</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>Where the broken database was moved (kept for forensics); null when it was not moved.</summary>
    public string? MovedAsideTo { get; init; }
}
