using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>What happened to one notification, with a reason that is safe to log (no notification text).</summary>
internal sealed record PresentationResult(bool Shown, string Reason)
{
    /// <summary>The outcome reported to the daemon in <c>notification/ack</c>.</summary>
    public string Outcome => Shown ? NotificationOutcomes.Shown : NotificationOutcomes.Failed;
}
