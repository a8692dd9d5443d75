namespace Launcher.Daemon.Notifications;

/// <summary>A wake-up that coalesces: any number of <see cref="Set"/> calls release one <see cref="WaitAsync"/>.</summary>
internal sealed class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: one wake-up covers both.
        }
    }

    /// <summary>True when set within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        return WaitCoreAsync(timeout, time, cancellationToken);
    }

    private async Task<bool> WaitCoreAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using ITimer timer = time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), timeoutSource, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await _semaphore.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
