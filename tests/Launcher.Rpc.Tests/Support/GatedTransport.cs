namespace Launcher.Rpc.Tests.Support;

/// <summary>
/// Wraps a transport so a test can hold the first flush open (the engine then holds its write lock) and can see
/// when the read loop is about to wait for the peer again.
/// </summary>
internal sealed class GatedTransport : IRpcTransport
{
    private readonly IRpcTransport _inner;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _readLoopWaiting = new(0);
    private readonly bool _holdFirstFlush;
    private int _flushes;

    public GatedTransport(IRpcTransport inner, bool holdFirstFlush)
    {
        _inner = inner;
        _holdFirstFlush = holdFirstFlush;
    }

    public TaskCompletionSource FlushEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>Waits until the read loop has run its before-wait hook (every earlier message is processed).</summary>
    public async Task WaitForReadLoopIdleAsync()
    {
        if (!await _readLoopWaiting.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The read loop never went back to waiting.");
        }
    }

    public ValueTask<TransportMessage> ReadAsync(Func<ValueTask>? beforeWait, CancellationToken cancellationToken)
    {
        return _inner.ReadAsync(
            async () =>
            {
                if (beforeWait is not null)
                {
                    await beforeWait();
                }

                _readLoopWaiting.Release();
            },
            cancellationToken);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => _inner.WriteAsync(message, cancellationToken);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _flushes) == 1 && _holdFirstFlush)
        {
            FlushEntered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }

        await _inner.FlushAsync(cancellationToken);
    }

    public void Abort() => _inner.Abort();

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
