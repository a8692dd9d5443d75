using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>Shows a notification in the user's session and says whether it got there.</summary>
internal interface INotificationPresenter
{
    /// <summary>The name reported at registration (<c>system</c>, <c>stdout</c>) and in logs.</summary>
    string Name { get; }

    /// <summary>Whether this presenter can work here at all, with the reason (logged once at start).</summary>
    bool IsSupported(out string reason);

    /// <summary>Shows it; a failure is a result with its reason, not an exception.</summary>
    Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken);
}
