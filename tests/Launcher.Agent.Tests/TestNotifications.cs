using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

internal static class TestNotifications
{
    public static ShowNotificationParams Make(string id, string title = "Title", string body = "Body", string? url = null, TimeSpan? expiresIn = null) => new()
    {
        Id = id,
        Title = title,
        Body = body,
        Url = url,
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow + (expiresIn ?? TimeSpan.FromHours(1)),
    };
}
