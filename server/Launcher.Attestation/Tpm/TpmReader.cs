using System.Buffers.Binary;

namespace Launcher.Attestation.Tpm;

/// <summary>
/// Reads big-endian TPM marshalling from a buffer a peer sent. Every read is bounds-checked and fails with a
/// <see cref="TpmFormatException"/> naming the field, never with an index exception.
/// </summary>
internal ref struct TpmReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    public TpmReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _buffer.Length - Position;

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>A TPM2B: a big-endian uint16 size, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadSized(string field, int maxSize)
    {
        int size = ReadUInt16(field);
        if (size > maxSize)
        {
            throw new TpmFormatException($"{field}: size {size} exceeds {maxSize}");
        }

        return Take(size, field);
    }

    public ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining)
        {
            throw new TpmFormatException($"{field}: truncated (needs {count} bytes, {Remaining} left)");
        }

        ReadOnlySpan<byte> slice = _buffer.Slice(Position, count);
        Position += count;
        return slice;
    }

    public readonly void ExpectEnd(string structure)
    {
        if (Remaining != 0)
        {
            throw new TpmFormatException($"{structure}: {Remaining} trailing bytes");
        }
    }
}
