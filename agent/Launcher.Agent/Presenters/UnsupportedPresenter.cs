using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>Where no system presenter exists: every notification is reported as failed with the reason.</summary>
internal sealed class UnsupportedPresenter : INotificationPresenter
{
    private readonly string _reason;

    public UnsupportedPresenter(string reason)
    {
        _reason = reason;
    }

    public string Name => PresenterFactory.System;

    public PresenterCapabilities Capabilities => PresenterCapabilities.None;

    public bool IsSupported(out string reason)
    {
        reason = _reason;
        return false;
    }

    public Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken) =>
        Task.FromResult(PresentationResult.Failed(_reason));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetInteractionHandler(Action<NotificationInteraction> handler)
    {
        // Nothing is ever shown, so nothing is ever clicked.
    }
}
