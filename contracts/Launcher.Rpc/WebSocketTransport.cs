using System.Buffers;
using System.Net.WebSockets;

namespace Launcher.Rpc;

/// <summary>
/// One JSON-RPC message per WebSocket text message (the fleet link, docs/fleet-protocol.md). A binary message
/// closes the connection with 1003, a message over <see cref="RpcLimits.MaxMessageBytes"/> with 1009; the size is
/// checked while the message is buffered, so no more than the limit plus one frame's read is ever held.
/// </summary>
public sealed class WebSocketTransport : IRpcTransport
{
    private const int InitialBufferBytes = 16 * 1024;
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly RpcLimits _limits;
    private readonly Queue<(byte[] Buffer, int Length)> _outgoing = new();
    private readonly object _closeGate = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task? _closing;

    /// <summary>Carries messages over an open WebSocket; the transport owns it and disposes it.</summary>
    public WebSocketTransport(WebSocket socket, RpcLimits limits)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
    }

    /// <summary>The close status the peer sent, once it closed.</summary>
    public WebSocketCloseStatus? PeerCloseStatus => _socket.CloseStatus;

    /// <inheritdoc />
    public async ValueTask<TransportMessage> ReadAsync(Func<ValueTask>? beforeWait, CancellationToken cancellationToken)
    {
        if (beforeWait is not null)
        {
            await beforeWait().ConfigureAwait(false);
        }

        // Wait for the next message with a zero-byte receive, holding no buffer: an idle connection (the fleet server
        // holds one per machine) would otherwise keep a rented 16 KB array for as long as it is idle.
        ValueWebSocketReceiveResult? first;
        try
        {
            first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new IOException("The WebSocket failed: " + ex.Message, ex);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, _limits.MaxMessageBytes + 1));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Grow up to one byte past the limit: receiving that byte is how an oversized message shows.
                    int size = (int)Math.Min((long)buffer.Length * 2, (long)_limits.MaxMessageBytes + 1);
                    byte[] larger = ArrayPool<byte>.Shared.Rent(size);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                ValueWebSocketReceiveResult result;
                if (first is { } waited)
                {
                    // What the zero-byte receive saw: a close, a binary message, an empty text message, or the start
                    // of a text message (no payload taken yet) that the next receive reads.
                    result = waited;
                    first = null;
                }
                else
                {
                    int room = Math.Min(buffer.Length, _limits.MaxMessageBytes + 1) - length;
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length, room), cancellationToken).ConfigureAwait(false);
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (length > 0)
                    {
                        return Fail(ref buffer, "The connection ended in the middle of a message.", RpcErrorCodes.ParseError);
                    }

                    await CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null!;
                    return TransportMessage.EndOfStream();
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await CloseAndDrainAsync(buffer, WebSocketCloseStatus.InvalidMessageType, "Only text messages are accepted.").ConfigureAwait(false);
                    return Fail(ref buffer, "A binary message arrived; only text messages are accepted.", RpcErrorCodes.InvalidRequest);
                }

                length += result.Count;
                if (length > _limits.MaxMessageBytes)
                {
                    string reason = $"A message is over the limit of {_limits.MaxMessageBytes} bytes.";
                    await CloseAndDrainAsync(buffer, WebSocketCloseStatus.MessageTooBig, reason).ConfigureAwait(false);
                    return Fail(ref buffer, reason, RpcErrorCodes.InvalidRequest);
                }

                if (result.EndOfMessage)
                {
                    TransportMessage message = TransportMessage.FromRented(buffer, length);
                    buffer = null!;
                    return message;
                }
            }
        }
        catch (WebSocketException ex)
        {
            // The peer vanished or broke the WebSocket framing: the engine treats it as a failed transport.
            throw new IOException("The WebSocket failed: " + ex.Message, ex);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // The engine reuses its buffer after this returns: keep a copy until the flush sends it.
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(message.Length, 1));
        message.Span.CopyTo(copy);
        lock (_outgoing)
        {
            _outgoing.Enqueue((copy, message.Length));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (byte[] Buffer, int Length) next;
            lock (_outgoing)
            {
                if (!_outgoing.TryDequeue(out next))
                {
                    return;
                }
            }

            // One send at a time on a WebSocket: a close frame may be on its way from another thread.
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(next.Buffer.AsMemory(0, next.Length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex)
            {
                throw new IOException("The WebSocket failed: " + ex.Message, ex);
            }
            finally
            {
                _sendLock.Release();
                ArrayPool<byte>.Shared.Return(next.Buffer);
            }
        }
    }

    /// <summary>
    /// Sends a close frame with a status and a reason (for example 1008 when authentication fails), waiting at most a
    /// short grace for it to leave. The peer's answering close frame then arrives through <see cref="ReadAsync"/>,
    /// which reports the end of the stream: call this, then give the connection a moment to end by itself before
    /// closing it (closing at once cancels the pending receive, which aborts the socket and can lose the frame).
    /// </summary>
    public Task CloseOutputAsync(WebSocketCloseStatus status, string reason)
    {
        lock (_closeGate)
        {
            return _closing ??= SendCloseAsync(status, reason);
        }
    }

    /// <inheritdoc />
    public void Abort()
    {
        // A close frame first (so the peer sees a clean close with a status), bounded; then the socket goes.
        Task closing = CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
        _ = closing.ContinueWith(static (_, s) => ((WebSocket)s!).Abort(), _socket, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task closing = CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
        await closing.ConfigureAwait(false);
        _socket.Abort();
        _socket.Dispose();
        lock (_outgoing)
        {
            while (_outgoing.TryDequeue(out (byte[] Buffer, int Length) left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }

    private async Task SendCloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        // A close reason is at most 123 bytes of UTF-8.
        string text = reason.Length > 120 ? reason[..120] : reason;
        using var grace = new CancellationTokenSource(s_closeGrace);
        bool locked = false;
        try
        {
            // A send stuck on a peer that does not read holds the lock: then the grace runs out and the socket is aborted.
            await _sendLock.WaitAsync(grace.Token).ConfigureAwait(false);
            locked = true;
            await _socket.CloseOutputAsync(status, text, grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The peer is gone or does not read: nothing more to tell it.
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }
        }
    }

    private async Task CloseAndDrainAsync(byte[] scratch, WebSocketCloseStatus status, string reason)
    {
        await CloseOutputAsync(status, reason).ConfigureAwait(false);

        // Complete the closing handshake: read (and drop) whatever the peer still sends until its close frame, so the
        // connection ends cleanly instead of being reset with our close frame still unsent.
        using var grace = new CancellationTokenSource(s_closeGrace);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(scratch.AsMemory(), grace.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The peer did not answer in time or is gone; the caller ends the connection either way.
        }
    }

    private static TransportMessage Fail(ref byte[] buffer, string reason, int code)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null!;
        return TransportMessage.Broken(reason, code);
    }
}
