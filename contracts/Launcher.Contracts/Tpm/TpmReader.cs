using System.Buffers.Binary;

namespace Launcher.Contracts.Tpm;

/// <summary>
/// Reads big-endian TPM marshalling from a buffer a peer (or a TPM) produced. Every read is bounds-checked and fails
/// with a <see cref="TpmFormatException"/> naming the field, never with an index exception.
/// </summary>
public ref struct TpmReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Starts reading at the first byte of <paramref name="buffer"/>.</summary>
    public TpmReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
    }

    /// <summary>How many bytes were read.</summary>
    public int Position { get; private set; }

    /// <summary>How many bytes are left.</summary>
    public readonly int Remaining => _buffer.Length - Position;

    /// <summary>A big-endian uint16.</summary>
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    /// <summary>A big-endian uint32.</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    /// <summary>A big-endian uint64.</summary>
    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    /// <summary>One byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>A TPM2B: a big-endian uint16 size, at most <paramref name="maxSize"/>, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadSized(string field, int maxSize)
    {
        int size = ReadUInt16(field);
        if (size > maxSize)
        {
            throw new TpmFormatException($"{field}: size {size} exceeds {maxSize}");
        }

        return Take(size, field);
    }

    /// <summary>The next <paramref name="count"/> bytes.</summary>
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

    /// <summary>Fails unless every byte was read.</summary>
    public readonly void ExpectEnd(string structure)
    {
        if (Remaining != 0)
        {
            throw new TpmFormatException($"{structure}: {Remaining} trailing bytes");
        }
    }
}
