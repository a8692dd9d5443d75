namespace Launcher.Contracts.Notifications;

/// <summary>The params of <c>notification/show</c>, sent by the daemon to a user's agents.</summary>
public sealed record ShowNotificationParams
{
    /// <summary>The notification's id; agents show each id once.</summary>
    public required string Id { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The body text.</summary>
    public required string Body { get; init; }

    /// <summary>An http or https URL to open on click.</summary>
    public string? Url { get; init; }

    /// <summary>Buttons.</summary>
    public IReadOnlyList<NotificationAction>? Actions { get; init; }

    /// <summary>When it was sent.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
