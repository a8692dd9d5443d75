using System.Collections.Concurrent;
using Launcher.Agent.Presenters;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

/// <summary>A presenter that records what it showed; it can fail on purpose or wait for a signal.</summary>
internal sealed class RecordingPresenter : INotificationPresenter
{
    public ConcurrentQueue<string> Shown { get; } = new();

    public PresentationResult Result { get; set; } = new(true, "recorded");

    /// <summary>When set, each presentation waits for it (to hold a notification "in progress").</summary>
    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "recording";

    public bool IsSupported(out string reason)
    {
        reason = "test";
        return true;
    }

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
