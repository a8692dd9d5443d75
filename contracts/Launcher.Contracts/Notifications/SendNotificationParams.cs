using System.Text;
using Launcher.Rpc;

namespace Launcher.Contracts.Notifications;

/// <summary>The params of <c>notification/send</c>: exactly one of <see cref="Uid"/> and <see cref="AllUsers"/>.</summary>
public sealed record SendNotificationParams : IRpcValidatable
{
    /// <summary>The one user to notify.</summary>
    public uint? Uid { get; init; }

    /// <summary>Notify every user whose agent connects before the notification expires.</summary>
    public bool AllUsers { get; init; }

    /// <summary>The title. Format characters (Cf) other than ZWJ/ZWNJ and U+2028/U+2029 are refused
    /// (<see cref="NotificationTextRules.FindForbidden"/>), as in <see cref="Body"/>.</summary>
    public required string Title { get; init; }

    /// <summary>The body text.</summary>
    public required string Body { get; init; }

    /// <summary>An http or https URL opened when the notification is clicked. The daemon stores and forwards its
    /// normalised form (<see cref="NotificationTextRules.NormalizeUrl"/>), never the string as sent.</summary>
    public string? Url { get; init; }

    /// <summary>Buttons.</summary>
    public IReadOnlyList<NotificationAction>? Actions { get; init; }

    /// <summary>Lifetime in seconds; the daemon's default when absent.</summary>
    public int? ExpiresInSeconds { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if ((Uid is null) == !AllUsers)
        {
            return "Give exactly one of uid and allUsers.";
        }

        if (Title.Length is 0 or > NotificationLimits.MaxTitleLength)
        {
            return $"title must be 1 to {NotificationLimits.MaxTitleLength} characters.";
        }

        if (Body.Length > NotificationLimits.MaxBodyLength)
        {
            return $"body must be at most {NotificationLimits.MaxBodyLength} characters.";
        }

        if (NotificationTextRules.FindForbidden(Title) is Rune inTitle)
        {
            return $"title contains U+{inTitle.Value:X4}, an invisible or direction-changing character; remove it.";
        }

        if (NotificationTextRules.FindForbidden(Body) is Rune inBody)
        {
            return $"body contains U+{inBody.Value:X4}, an invisible or direction-changing character; remove it.";
        }

        if (Url is not null && NotificationTextRules.NormalizeUrl(Url, out string? urlProblem) is null)
        {
            return urlProblem;
        }

        if (Actions is { Count: > NotificationLimits.MaxActions })
        {
            return $"At most {NotificationLimits.MaxActions} actions.";
        }

        if (Actions?.Any(a => a.Id.Length is 0 or > NotificationLimits.MaxActionLength || a.Label.Length is 0 or > NotificationLimits.MaxActionLength) == true)
        {
            return $"Action ids and labels must be 1 to {NotificationLimits.MaxActionLength} characters.";
        }

        return ExpiresInSeconds is < 1 or > NotificationLimits.MaxExpiresInSeconds
            ? $"expiresInSeconds must be 1 to {NotificationLimits.MaxExpiresInSeconds}."
            : null;
    }
}
