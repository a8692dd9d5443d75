namespace Launcher.Agent.Presenters;

/// <summary>
/// What the user (or the notification server) did with a notification after it was shown: a final outcome
/// (<c>clicked</c>, with <see cref="ActionId"/> for an action; <c>dismissed</c>; <c>expired</c>) and a reason for the log.
/// </summary>
internal sealed record NotificationInteraction(string Id, string Outcome, string? ActionId, string Reason);
