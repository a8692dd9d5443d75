namespace Launcher.Agent.Presenters;

/// <summary>One line of <c>--presenter stdout</c> output: a stable shape for scripts and tests.</summary>
internal sealed record StdoutNotificationLine(string Id, string Title, string Body, string? Url, DateTimeOffset ShownAt);
