namespace Launcher.Contracts.Notifications;

/// <summary>The result of <c>notification/send</c>, returned once the notification is durably stored.</summary>
public sealed record SendNotificationResult
{
    /// <summary>The notification's id.</summary>
    public required string Id { get; init; }

    /// <summary>When it expires if not acknowledged.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Agent connections it was sent to right away (others get it when they connect).</summary>
    public required int DeliveredNow { get; init; }
}
