using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace Launcher.Rpc;

/// <summary>
/// The LSP base protocol framing (StreamJsonRpc's HeaderDelimitedMessageHandler): <c>Content-Length: N\r\n</c>,
/// an optional <c>Content-Type</c>, a blank line, then N bytes of UTF-8 JSON. Header lines must end with CRLF.
/// The declared length is checked against <see cref="RpcLimits.MaxMessageBytes"/> before anything is allocated.
/// </summary>
public sealed class HeaderDelimitedTransport : IRpcTransport
{
    // The most one read from the stream adds to what the transport holds.
    private const int ReadChunkBytes = 16 * 1024;

    private static ReadOnlySpan<byte> ContentLengthName => "Content-Length"u8;
    private static ReadOnlySpan<byte> ContentTypeName => "Content-Type"u8;

    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly Stream? _stream;
    private readonly RpcLimits _limits;
    private int _pendingBodyLength = -1;
    private long _reserved;
    private long _messageStarted;
    private bool _aborted;
    private byte[]? _lineBuffer;

    /// <summary>Frames messages over a connected stream (a Unix socket's NetworkStream, a pipe).</summary>
    public HeaderDelimitedTransport(Stream stream, RpcLimits limits)
        : this(
            // Zero-byte reads: a connection waiting for its peer holds no buffer (Kestrel waits the same way), so a
            // thousand quiet agents cost no read buffers at all.
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadChunkBytes, minimumReadSize: 4096, leaveOpen: true, useZeroByteReads: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true)),
            limits)
    {
        _stream = stream;
    }

    /// <summary>Frames messages over a pipe pair (in-memory tests, benchmarks).</summary>
    public HeaderDelimitedTransport(PipeReader reader, PipeWriter writer, RpcLimits limits)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
    }

    /// <summary>
    /// The budget the bytes of unfinished messages held by this transport count against (null: none beyond
    /// <see cref="RpcLimits.MaxMessageBytes"/>). When the next bytes would cross it, the read ends the connection
    /// with <see cref="RpcErrorCodes.ServerBusy"/>.
    /// </summary>
    public RpcBufferBudget? BufferBudget { get; init; }

    /// <summary>The clock for <see cref="RpcLimits.MessageCompletionTimeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <inheritdoc />
    public async ValueTask<TransportMessage> ReadAsync(Func<ValueTask>? beforeWait, CancellationToken cancellationToken)
    {
        bool waitedOnce = false;
        while (true)
        {
            ReadResult result;
            if (!waitedOnce && _reader.TryRead(out ReadResult buffered))
            {
                result = buffered;
            }
            else
            {
                if (beforeWait is not null)
                {
                    await beforeWait().ConfigureAwait(false);
                }

                if (_messageStarted == 0)
                {
                    result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Mid-message: the rest must come before the message's deadline, agents included.
                    TimeSpan left = _limits.MessageCompletionTimeout - TimeProvider.GetElapsedTime(_messageStarted);
                    if (left <= TimeSpan.Zero)
                    {
                        return Unfinished();
                    }

                    using var deadline = new CancellationTokenSource(left, TimeProvider);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                    try
                    {
                        result = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        return Unfinished();
                    }
                }
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            ParseOutcome outcome = TryParse(ref buffer, out TransportMessage message);
            switch (outcome)
            {
                case ParseOutcome.Complete:
                    _reader.AdvanceTo(buffer.Start);
                    _messageStarted = 0;
                    ReleaseReservation();
                    return message;
                case ParseOutcome.Broken:
                    _reader.AdvanceTo(buffer.End);
                    ReleaseReservation();
                    return message;
                default:
                    // Nothing consumed beyond a parsed header block; everything examined.
                    _reader.AdvanceTo(buffer.Start, result.Buffer.End);
                    long held = buffer.Length;
                    if (held > 0 && _messageStarted == 0)
                    {
                        _messageStarted = TimeProvider.GetTimestamp();
                    }

                    // Reserved with room for the next read, so what the budget allows is what memory holds.
                    if (BufferBudget is not null && !BufferBudget.TryResize(ref _reserved, held + ReadChunkBytes, out RpcBufferBudget? full))
                    {
                        ReleaseReservation();
                        return TransportMessage.Broken(
                            $"{full!.Name} holds {full.Held} bytes of unfinished messages, the limit is {full.Limit}; closing the connection that would go over it.",
                            RpcErrorCodes.ServerBusy);
                    }

                    break;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                bool midMessage = !buffer.IsEmpty || _pendingBodyLength >= 0;
                return midMessage
                    ? TransportMessage.Broken("The connection ended in the middle of a message.")
                    : TransportMessage.EndOfStream();
            }

            waitedOnce = true;
        }
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // "Content-Length: " + up to 10 digits + CRLF CRLF.
        Span<byte> header = _writer.GetSpan(32);
        "Content-Length: "u8.CopyTo(header);
        int written = 16;
        Utf8Formatter.TryFormat(message.Length, header[written..], out int digits);
        written += digits;
        "\r\n\r\n"u8.CopyTo(header[written..]);
        _writer.Advance(written + 4);
        _writer.Write(message.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        FlushResult result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Abort()
    {
        Volatile.Write(ref _aborted, true);
        _reader.CancelPendingRead();
        _writer.CancelPendingFlush();
        _stream?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ReleaseReservation();
        await _reader.CompleteAsync().ConfigureAwait(false);

        // Completing a stream's writer normally flushes what is still buffered. After Abort the stream is gone
        // (and after a write timeout the buffer is exactly what the peer would not read), so complete it with an
        // exception, which discards the buffer instead of writing it. A peer that vanished makes the flush fail
        // too; disposing must not throw for that.
        try
        {
            // Only for a stream: a pipe writer completed with an exception would hand it to the peer's reader.
            bool discard = _stream is not null && Volatile.Read(ref _aborted);
            await _writer.CompleteAsync(discard ? new OperationCanceledException("The transport was aborted.") : null).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TransportMessage Unfinished()
    {
        ReleaseReservation();
        return TransportMessage.Broken(
            $"A message was left unfinished for {_limits.MessageCompletionTimeout.TotalSeconds:0.#} s after its first byte arrived.",
            RpcErrorCodes.ServerBusy);
    }

    private void ReleaseReservation()
    {
        if (BufferBudget is not null && _reserved > 0)
        {
            BufferBudget.TryResize(ref _reserved, 0, out _);
        }
    }

    private ParseOutcome TryParse(ref ReadOnlySequence<byte> buffer, out TransportMessage message)
    {
        message = default;
        if (_pendingBodyLength < 0)
        {
            ParseOutcome headers = TryParseHeaders(ref buffer, out message);
            if (headers != ParseOutcome.Complete)
            {
                return headers;
            }
        }

        int length = _pendingBodyLength;
        if (buffer.Length < length)
        {
            return ParseOutcome.NeedMore;
        }

        byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        buffer.Slice(0, length).CopyTo(body);
        buffer = buffer.Slice(length);
        _pendingBodyLength = -1;
        message = TransportMessage.FromRented(body, length);
        return ParseOutcome.Complete;
    }

    private ParseOutcome TryParseHeaders(ref ReadOnlySequence<byte> buffer, out TransportMessage message)
    {
        message = default;
        var reader = new SequenceReader<byte>(buffer);
        long contentLength = -1;
        // A field, not stackalloc: the limit is configurable, and a large one must not overflow the stack.
        Span<byte> lineBuffer = _lineBuffer ??= new byte[_limits.MaxHeaderLineBytes];
        while (true)
        {
            long lineStart = reader.Consumed;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n', advancePastDelimiter: true))
            {
                if (reader.Remaining > _limits.MaxHeaderLineBytes || buffer.Length > _limits.MaxHeaderBytes)
                {
                    message = TransportMessage.Broken($"A header line is longer than {_limits.MaxHeaderLineBytes} bytes.");
                    return ParseOutcome.Broken;
                }

                return ParseOutcome.NeedMore;
            }

            if (line.Length + 1 > _limits.MaxHeaderLineBytes)
            {
                message = TransportMessage.Broken($"A header line is longer than {_limits.MaxHeaderLineBytes} bytes.");
                return ParseOutcome.Broken;
            }

            if (reader.Consumed > _limits.MaxHeaderBytes)
            {
                message = TransportMessage.Broken($"The header block is longer than {_limits.MaxHeaderBytes} bytes.");
                return ParseOutcome.Broken;
            }

            Span<byte> text = lineBuffer[..(int)line.Length];
            line.CopyTo(text);
            if (text.Length == 0 || text[^1] != (byte)'\r')
            {
                message = TransportMessage.Broken("Header lines must end with CRLF.");
                return ParseOutcome.Broken;
            }

            text = text[..^1];
            if (text.Length == 0)
            {
                if (contentLength < 0)
                {
                    message = TransportMessage.Broken(lineStart == 0 ? "Expected a Content-Length header, got a blank line." : "The Content-Length header is missing.");
                    return ParseOutcome.Broken;
                }

                _pendingBodyLength = (int)contentLength;
                buffer = buffer.Slice(reader.Position);
                return ParseOutcome.Complete;
            }

            int colon = text.IndexOf((byte)':');
            if (colon <= 0)
            {
                message = TransportMessage.Broken("A header line has no name.");
                return ParseOutcome.Broken;
            }

            ReadOnlySpan<byte> name = text[..colon];
            // Optional whitespace around the value is a space or a tab (RFC 9110 OWS), as vscode-jsonrpc's reader trims it.
            ReadOnlySpan<byte> value = text[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, ContentLengthName))
            {
                if (contentLength >= 0)
                {
                    message = TransportMessage.Broken("Content-Length appears twice.");
                    return ParseOutcome.Broken;
                }

                if (value.Length is 0 or > 10 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                    || !Utf8Parser.TryParse(value, out long parsed, out int used) || used != value.Length)
                {
                    message = TransportMessage.Broken("Content-Length is not a decimal number.");
                    return ParseOutcome.Broken;
                }

                if (parsed > _limits.MaxMessageBytes)
                {
                    message = TransportMessage.Broken($"The message is {parsed} bytes; the limit is {_limits.MaxMessageBytes}.", RpcErrorCodes.InvalidRequest);
                    return ParseOutcome.Broken;
                }

                contentLength = parsed;
            }
            else if (Ascii.EqualsIgnoreCase(name, ContentTypeName))
            {
                if (!IsUtf8ContentType(value))
                {
                    message = TransportMessage.Broken("Only UTF-8 content is accepted.");
                    return ParseOutcome.Broken;
                }
            }

            // Other headers are ignored, as the base protocol allows.
        }
    }

    private static bool IsUtf8ContentType(ReadOnlySpan<byte> value)
    {
        string text = Encoding.ASCII.GetString(value);
        int charset = text.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (charset < 0)
        {
            return true;
        }

        string encoding = text[(charset + 8)..].Split(';', 2)[0].Trim().Trim('"');
        return encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || encoding.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    private enum ParseOutcome
    {
        NeedMore,
        Complete,
        Broken,
    }
}
