namespace Launcher.Daemon.Notifications;

/// <summary>What recording an acknowledgement did, and the outcome that was recorded before it (if any).</summary>
internal readonly record struct AckRecordResult(AckStatus Status, string? Previous);
