using System.Collections.Concurrent;
using Launcher.Agent.Presenters;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

/// <summary>A presenter that records what it showed; it can fail on purpose or wait for a signal.</summary>
internal sealed class RecordingPresenter : INotificationPresenter
{
    public ConcurrentQueue<string> Shown { get; } = new();

    public PresentationResult Result { get; set; } = PresentationResult.Shown("recorded");

    public PresenterCapabilities Capabilities { get; set; } = new() { Clicks = true, Actions = true, TruthfulDelivery = true };

    /// <summary>Raises an interaction as a presenter with clicks would.</summary>
    public Action<NotificationInteraction>? Interactions { get; private set; }

    /// <summary>When set, each presentation waits for it (to hold a notification "in progress").</summary>
    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "recording";

    public bool IsSupported(out string reason)
    {
        reason = "test";
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetInteractionHandler(Action<NotificationInteraction> handler) => Interactions = handler;

    public async Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        if (Gate is TaskCompletionSource gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        Shown.Enqueue(notification.Id);
        return Result;
    }
}
