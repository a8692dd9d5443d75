using System.Buffers;
using System.Buffers.Binary;

namespace Launcher.Attestation.Tpm;

/// <summary>Writes big-endian TPM marshalling (the server's outputs: credential blobs, and test inputs).</summary>
internal sealed class TpmWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public TpmWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public TpmWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public TpmWriter Bytes(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    /// <summary>A TPM2B: the uint16 size, then the bytes.</summary>
    public TpmWriter Sized(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A TPM2B holds at most 65535 bytes.", nameof(value));
        }

        UInt16((ushort)value.Length);
        return Bytes(value);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
