namespace Launcher.Fleet.Push;

/// <summary>
/// The body of <c>POST /api/v1/notifications</c>: a machine target (exactly one of allMachines and group), then the
/// same user target and content as <see cref="NotificationRequest"/>.
/// </summary>
internal sealed class BroadcastRequest
{
    public bool AllMachines { get; init; }

    public string? Group { get; init; }

    public uint? Uid { get; init; }

    public bool AllUsers { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Url { get; init; }

    /// <summary>The per-machine part, validated exactly as the per-machine endpoint validates it.</summary>
    public NotificationRequest Content => new() { Uid = Uid, AllUsers = AllUsers, Title = Title, Body = Body, Url = Url };
}
