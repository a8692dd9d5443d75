using System.Buffers;
using System.IO.Pipelines;

namespace Launcher.Rpc.Tests.Support;

/// <summary>
/// A stream that reads from one pipe and writes to another, handing out at most <c>maxReadChunk</c> bytes per read:
/// the transport then sees the peer's bytes split at whatever boundaries the test chooses (down to one byte).
/// </summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly int _maxReadChunk;

    public DuplexPipeStream(PipeReader input, PipeWriter output, int maxReadChunk)
    {
        _input = input;
        _output = output;
        _maxReadChunk = maxReadChunk;
    }

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadResult result = await _input.ReadAsync(cancellationToken);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException();
        }

        if (result.Buffer.IsEmpty && result.IsCompleted)
        {
            _input.AdvanceTo(result.Buffer.End);
            return 0;
        }

        int count = (int)Math.Min(Math.Min(result.Buffer.Length, buffer.Length), _maxReadChunk);
        ReadOnlySequence<byte> slice = result.Buffer.Slice(0, count);
        slice.CopyTo(buffer.Span);
        _input.AdvanceTo(slice.End);
        Reads++;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _output.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Complete();
            _output.Complete();
        }

        base.Dispose(disposing);
    }
}
