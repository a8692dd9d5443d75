using System.Buffers;

namespace Launcher.Rpc;

/// <summary>
/// One read from a transport. A <see cref="TransportMessageKind.Message"/> owns a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>; whoever receives it returns it with <see cref="Release"/>.
/// </summary>
public readonly struct TransportMessage
{
    private TransportMessage(TransportMessageKind kind, byte[]? buffer, int length, string? error, int errorCode)
    {
        Kind = kind;
        Buffer = buffer;
        Length = length;
        Error = error;
        ErrorCode = errorCode;
    }

    /// <summary>What this read produced.</summary>
    public TransportMessageKind Kind { get; }

    /// <summary>The rented buffer holding the body (Message only).</summary>
    public byte[]? Buffer { get; }

    /// <summary>The body's length in bytes.</summary>
    public int Length { get; }

    /// <summary>Why the framing failed (FramingError only); safe to send to the peer.</summary>
    public string? Error { get; }

    /// <summary>The JSON-RPC code to answer a framing error with.</summary>
    public int ErrorCode { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body => Buffer is null ? ReadOnlyMemory<byte>.Empty : Buffer.AsMemory(0, Length);

    /// <summary>A message whose body the caller now owns.</summary>
    public static TransportMessage FromRented(byte[] buffer, int length) => new(TransportMessageKind.Message, buffer, length, null, 0);

    /// <summary>The end of the stream.</summary>
    public static TransportMessage EndOfStream() => new(TransportMessageKind.End, null, 0, null, 0);

    /// <summary>Broken framing, with the reason and the code to answer with.</summary>
    public static TransportMessage Broken(string error, int errorCode = RpcErrorCodes.ParseError) => new(TransportMessageKind.FramingError, null, 0, error, errorCode);

    /// <summary>Returns the body's buffer to the pool.</summary>
    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
