namespace Launcher.Daemon.Notifications;

/// <summary>What recording an acknowledgement did.</summary>
internal enum AckStatus
{
    /// <summary>Recorded now.</summary>
    Recorded,

    /// <summary>This uid had already acknowledged it.</summary>
    AlreadyAcknowledged,

    /// <summary>No such notification for this uid (unknown, expired, or aimed at someone else).</summary>
    NotFound,
}
