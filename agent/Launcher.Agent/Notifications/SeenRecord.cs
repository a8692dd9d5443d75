namespace Launcher.Agent.Notifications;

/// <summary>
/// One notification id the agent has taken on. <see cref="Outcome"/> is null while it is being shown; afterwards it
/// is the outcome that was (and on every repeat delivery again is) acknowledged: interim (<c>submitted</c>,
/// <c>shown</c>) until the user acts, then final (<c>clicked</c> with <see cref="ActionId"/> for an action,
/// <c>dismissed</c>, <c>expired</c>, or <c>failed</c>).
/// </summary>
internal sealed record SeenRecord(string Id, string? Outcome, string? Detail, DateTimeOffset At, string? ActionId = null)
{
    public bool InProgress => Outcome is null;
}
