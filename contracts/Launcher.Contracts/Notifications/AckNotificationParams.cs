using Launcher.Rpc;

namespace Launcher.Contracts.Notifications;

/// <summary>The params of <c>notification/ack</c>.</summary>
public sealed record AckNotificationParams : IRpcValidatable
{
    /// <summary>The notification's id.</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="NotificationOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The clicked action's id (outcome <c>clicked</c> only); absent for a click on the notification itself.</summary>
    public string? ActionId { get; init; }

    /// <summary>Why it failed (outcome <c>failed</c>), or what the presenter knows, for the daemon's log.</summary>
    public string? Detail { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Id.Length is 0 or > 64)
        {
            return "id must be 1 to 64 characters.";
        }

        if (!NotificationOutcomes.IsKnown(Outcome))
        {
            return "outcome must be submitted, shown, clicked, dismissed, expired or failed.";
        }

        if (ActionId is not null && Outcome != NotificationOutcomes.Clicked)
        {
            return "actionId is only allowed with the outcome clicked.";
        }

        return ActionId is { Length: > NotificationLimits.MaxActionLength } || Detail is { Length: > 512 } ? "actionId or detail is too long." : null;
    }
}
