using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Push;

/// <summary>The body of <c>POST /api/v1/machines/{id}/notifications</c>: exactly one of uid and allUsers.</summary>
internal sealed class NotificationRequest
{
    public uint? Uid { get; init; }

    public bool AllUsers { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Url { get; init; }

    /// <summary>What is wrong with it (naming the field), or null; the same rules as the daemon's <c>notification/send</c>.</summary>
    public string? Validate()
    {
        if (Title is null || Body is null)
        {
            return "title and body are required.";
        }

        return ToWire("n_check").Validate();
    }

    /// <summary>The daemon's <c>notification/send</c> params for this content under <paramref name="id"/>.</summary>
    public FleetNotificationParams ToWire(string id) =>
        new() { Id = id, Uid = Uid, AllUsers = AllUsers, Title = Title ?? string.Empty, Body = Body ?? string.Empty, Url = Url };
}
