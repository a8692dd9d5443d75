namespace Launcher.Contracts.Notifications;

/// <summary>A button on a notification; the agent reports which one was clicked.</summary>
public sealed record NotificationAction
{
    /// <summary>The action's id, reported back in <c>notification/ack</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The button's label.</summary>
    public required string Label { get; init; }
}
