namespace Launcher.Rpc;

/// <summary>
/// Moves whole JSON-RPC messages. The engine is transport-agnostic: Content-Length framing over a stream for the
/// local socket, one text message per WebSocket message toward the fleet.
/// </summary>
public interface IRpcTransport : IAsyncDisposable
{
    /// <summary>
    /// Reads the next message. <paramref name="beforeWait"/> runs when no complete message is buffered, before the
    /// transport waits for the peer (the engine flushes batched replies there).
    /// </summary>
    ValueTask<TransportMessage> ReadAsync(Func<ValueTask>? beforeWait, CancellationToken cancellationToken);

    /// <summary>Queues one message; it may stay buffered until <see cref="FlushAsync"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Sends everything queued.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Stops both directions at once (the peer sees the connection end).</summary>
    void Abort();
}
