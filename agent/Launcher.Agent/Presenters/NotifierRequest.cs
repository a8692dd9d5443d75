using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>
/// One line the agent writes to the macOS notifier app (JSON, one object per line): <c>post</c> a notification.
/// The text is what the daemon validated; the app bounds nothing itself.
/// </summary>
internal sealed record NotifierRequest(string Op, string Id, string Title, string Body, string? Url, IReadOnlyList<NotificationAction> Actions);
