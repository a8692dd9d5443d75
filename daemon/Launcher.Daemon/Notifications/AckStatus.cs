namespace Launcher.Daemon.Notifications;

/// <summary>What recording an acknowledgement did.</summary>
internal enum AckStatus
{
    /// <summary>Recorded now.</summary>
    Recorded,

    /// <summary>A later stage replaced this uid's earlier outcome (shown, then clicked).</summary>
    Updated,

    /// <summary>This uid had already acknowledged it with this outcome or a later one; nothing changed.</summary>
    AlreadyAcknowledged,

    /// <summary>No such notification for this uid (unknown, expired, or aimed at someone else).</summary>
    NotFound,
}
