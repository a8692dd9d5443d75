namespace Launcher.Daemon.Notifications;

/// <summary>An outcome of a fleet notification waiting to be reported to the server (<c>notification/outcome</c>).</summary>
internal sealed record FleetOutcome(string FleetId, uint Uid, string Outcome, string? ActionId, DateTimeOffset At);
