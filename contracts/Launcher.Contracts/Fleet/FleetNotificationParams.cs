using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>notification/send</c> from the server to a daemon: exactly one of <see cref="Uid"/> and <see cref="AllUsers"/>.</summary>
public sealed record FleetNotificationParams : IRpcValidatable
{
    /// <summary>The server's notification id; the daemon deduplicates on it.</summary>
    public required string Id { get; init; }

    /// <summary>The one user to notify.</summary>
    public uint? Uid { get; init; }

    /// <summary>Notify every user.</summary>
    public bool AllUsers { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The body text.</summary>
    public required string Body { get; init; }

    /// <summary>An http or https URL opened when the notification is clicked.</summary>
    public string? Url { get; init; }

    /// <summary>Buttons.</summary>
    public IReadOnlyList<NotificationAction>? Actions { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Id.Length is 0 or > FleetLimits.MaxIdLength)
        {
            return $"id must be 1 to {FleetLimits.MaxIdLength} characters.";
        }

        return new SendNotificationParams { Uid = Uid, AllUsers = AllUsers, Title = Title, Body = Body, Url = Url, Actions = Actions }.Validate();
    }
}
