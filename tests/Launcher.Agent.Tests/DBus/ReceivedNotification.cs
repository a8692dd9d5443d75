namespace Launcher.Agent.Tests.DBus;

/// <summary>One Notify call as the test notification server received it, with the id it answered.</summary>
internal sealed record ReceivedNotification(
    uint Id,
    string AppName,
    uint ReplacesId,
    string Icon,
    string Summary,
    string Body,
    IReadOnlyList<string> Actions,
    IReadOnlyDictionary<string, string> Hints,
    int ExpireTimeout);
