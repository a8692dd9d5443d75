using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>A notification the server is showing, awaited for its click, action or close.</summary>
internal sealed record TrackedNotification(uint ServerId, string Id, string? Url, IReadOnlyList<NotificationAction>? Actions)
{
    /// <summary>Set once a final outcome was reported; a later close (servers close after a click) adds nothing.</summary>
    public bool Reported { get; set; }
}
