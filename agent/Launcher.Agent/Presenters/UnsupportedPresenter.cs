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

    public bool IsSupported(out string reason)
    {
        reason = _reason;
        return false;
    }

    public Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken) =>
        Task.FromResult(new PresentationResult(false, _reason));
}
