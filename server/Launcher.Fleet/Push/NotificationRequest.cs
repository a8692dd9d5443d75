namespace Launcher.Fleet.Push;

/// <summary>The body of <c>POST /api/v1/machines/{id}/notifications</c>: exactly one of uid and allUsers.</summary>
internal sealed class NotificationRequest
{
    public uint? Uid { get; init; }

    public bool AllUsers { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Url { get; init; }
}
