using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows a notification in the user's session and says truthfully how far it got: <c>shown</c> only when the
/// notification server confirmed it, <c>submitted</c> when it was handed on with no way to know more. Presenters
/// that learn of clicks, actions and dismissals report them later through the interaction handler.
/// </summary>
internal interface INotificationPresenter
{
    /// <summary>The name reported at registration (<c>system</c>, <c>stdout</c>) and in logs.</summary>
    string Name { get; }

    /// <summary>What this presenter can do, advertised at <c>agent/register</c> (read at every registration).</summary>
    PresenterCapabilities Capabilities { get; }

    /// <summary>Whether this presenter can work here at all, with the reason (logged once at start).</summary>
    bool IsSupported(out string reason);

    /// <summary>
    /// Gets ready before the first registration (connects, learns what the notification server supports, asks for
    /// authorisation) so that <see cref="Capabilities"/> is accurate; a failure is logged and retried later.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Shows it; a failure is a result with its reason, not an exception.</summary>
    Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken);

    /// <summary>
    /// Where clicks, actions, dismissals and expiries go once they happen; called once, before the first
    /// notification. The handler must not block (it queues). Presenters that learn of none ignore it.
    /// </summary>
    void SetInteractionHandler(Action<NotificationInteraction> handler);
}
