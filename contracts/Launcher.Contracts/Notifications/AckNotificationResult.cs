namespace Launcher.Contracts.Notifications;

/// <summary>The result of <c>notification/ack</c>.</summary>
public sealed record AckNotificationResult
{
    /// <summary>The notification's id.</summary>
    public required string Id { get; init; }

    /// <summary>True when this user had already acknowledged it (from another session, or a repeated ack).</summary>
    public required bool AlreadyAcknowledged { get; init; }
}
