using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>
/// What happened to one notification when it was presented, with a reason that is safe to log (no notification
/// text). <see cref="Outcome"/> is <c>shown</c> (the notification server confirmed it), <c>submitted</c> (handed
/// to the operating system, delivery unknown) or <c>failed</c>; a click or a dismissal comes later as a
/// <see cref="NotificationInteraction"/>.
/// </summary>
internal sealed record PresentationResult(string Outcome, string Reason)
{
    /// <summary>True unless it failed: the notification left the agent.</summary>
    public bool Delivered => Outcome != NotificationOutcomes.Failed;

    public static PresentationResult Shown(string reason) => new(NotificationOutcomes.Shown, reason);

    public static PresentationResult Submitted(string reason) => new(NotificationOutcomes.Submitted, reason);

    public static PresentationResult Failed(string reason) => new(NotificationOutcomes.Failed, reason);
}
