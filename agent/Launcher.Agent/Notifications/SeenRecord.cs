namespace Launcher.Agent.Notifications;

/// <summary>
/// One notification id the agent has taken on. <see cref="Outcome"/> is null while it is being shown; afterwards it
/// is the outcome that was (and on every repeat delivery again is) acknowledged.
/// </summary>
internal sealed record SeenRecord(string Id, string? Outcome, string? Detail, DateTimeOffset At)
{
    public bool InProgress => Outcome is null;
}
