using Launcher.Contracts.Notifications;

namespace Launcher.Daemon.Notifications;

/// <summary>A notification as the outbox keeps it. <see cref="TargetUid"/> null means every user.</summary>
internal sealed record StoredNotification(
    string Id,
    uint? TargetUid,
    string Title,
    string Body,
    string? Url,
    IReadOnlyList<NotificationAction>? Actions,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    public ShowNotificationParams ToShowParams() => new()
    {
        Id = Id,
        Title = Title,
        Body = Body,
        Url = Url,
        Actions = Actions,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
    };
}
