namespace Launcher.Agent.Notifications;

/// <summary>The seen-notifications file: records oldest first (least recently used first).</summary>
internal sealed record SeenFile(int Version, IReadOnlyList<SeenRecord> Entries);
