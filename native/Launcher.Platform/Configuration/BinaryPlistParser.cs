using System.Buffers.Binary;
using System.Text;

namespace Launcher.Platform.Configuration;

/// <summary>
/// The binary form of a property list (<c>bplist00</c>): a header, the objects, an offset table and a 32-byte
/// trailer. Every offset and count is checked against the data before use; nesting is bounded, and so is the total
/// number of objects visited, so shared references cannot expand into a huge tree.
/// </summary>
internal sealed class BinaryPlistParser
{
    private const int HeaderBytes = 8;
    private const int TrailerBytes = 32;
    private static readonly DateTimeOffset s_epoch = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly byte[] _data;
    private readonly int _offsetIntSize;
    private readonly int _refSize;
    private readonly long _objectCount;
    private readonly long _offsetTable;
    private int _visited;

    private BinaryPlistParser(byte[] data, int offsetIntSize, int refSize, long objectCount, long offsetTable)
    {
        _data = data;
        _offsetIntSize = offsetIntSize;
        _refSize = refSize;
        _objectCount = objectCount;
        _offsetTable = offsetTable;
    }

    public static object Parse(ReadOnlySpan<byte> span)
    {
        if (span.Length < HeaderBytes + TrailerBytes + 1)
        {
            throw new PlistFormatException("the binary property list is truncated");
        }

        byte[] data = span.ToArray();
        ReadOnlySpan<byte> trailer = data.AsSpan(data.Length - TrailerBytes);
        int offsetIntSize = trailer[6];
        int refSize = trailer[7];
        ulong objectCount = BinaryPrimitives.ReadUInt64BigEndian(trailer[8..]);
        ulong topObject = BinaryPrimitives.ReadUInt64BigEndian(trailer[16..]);
        ulong offsetTable = BinaryPrimitives.ReadUInt64BigEndian(trailer[24..]);
        if (offsetIntSize is < 1 or > 8 || refSize is < 1 or > 8)
        {
            throw new PlistFormatException("the binary property list's trailer has invalid integer sizes");
        }

        if (objectCount == 0 || objectCount > PlistLimits.MaxObjects || topObject >= objectCount)
        {
            throw new PlistFormatException("the binary property list's trailer has an invalid object count or top object");
        }

        ulong tableEnd = (ulong)data.Length - TrailerBytes;
        if (offsetTable < HeaderBytes || offsetTable > tableEnd || (tableEnd - offsetTable) / (ulong)offsetIntSize < objectCount)
        {
            throw new PlistFormatException("the binary property list's offset table lies outside the file");
        }

        var parser = new BinaryPlistParser(data, offsetIntSize, refSize, (long)objectCount, (long)offsetTable);
        return parser.ReadObject((long)topObject, 1);
    }

    private object ReadObject(long index, int depth)
    {
        if (depth > PlistLimits.MaxDepth)
        {
            throw new PlistFormatException($"nested deeper than {PlistLimits.MaxDepth} levels (or a reference cycle)");
        }

        if (++_visited > PlistLimits.MaxObjects)
        {
            throw new PlistFormatException($"more than {PlistLimits.MaxObjects} objects");
        }

        if (index < 0 || index >= _objectCount)
        {
            throw new PlistFormatException($"object reference {index} is out of range");
        }

        long offset = (long)ReadUnsigned(_offsetTable + (index * _offsetIntSize), _offsetIntSize);
        if (offset < HeaderBytes || offset >= _offsetTable)
        {
            throw new PlistFormatException($"object {index} starts outside the object area");
        }

        byte marker = _data[offset];
        int kind = marker >> 4;
        int info = marker & 0x0F;
        long position = offset + 1;
        switch (kind)
        {
            case 0x0:
                return info switch
                {
                    0x8 => false,
                    0x9 => true,
                    _ => throw new PlistFormatException($"object {index}: null and fill objects are not supported"),
                };
            case 0x1:
                return ReadInteger(position, info, index);
            case 0x2:
                return info switch
                {
                    2 => (double)BinaryPrimitives.ReadSingleBigEndian(Slice(position, 4)),
                    3 => BinaryPrimitives.ReadDoubleBigEndian(Slice(position, 8)),
                    _ => throw new PlistFormatException($"object {index}: a real of 2^{info} bytes"),
                };
            case 0x3:
                if (info != 3)
                {
                    throw new PlistFormatException($"object {index}: a date must be 8 bytes");
                }

                double seconds = BinaryPrimitives.ReadDoubleBigEndian(Slice(position, 8));
                if (double.IsNaN(seconds) || Math.Abs(seconds) > 1e11)
                {
                    throw new PlistFormatException($"object {index}: the date is out of range");
                }

                return s_epoch.AddSeconds(seconds);
            case 0x4:
            {
                long count = ReadCount(ref position, info, index);
                return Slice(position, count).ToArray();
            }

            case 0x5:
            {
                long count = ReadCount(ref position, info, index);
                ReadOnlySpan<byte> ascii = Slice(position, count);
                foreach (byte b in ascii)
                {
                    if (b > 0x7F)
                    {
                        throw new PlistFormatException($"object {index}: an ASCII string holds a non-ASCII byte");
                    }
                }

                return Encoding.ASCII.GetString(ascii);
            }

            case 0x6:
            {
                long count = ReadCount(ref position, info, index);
                return Encoding.BigEndianUnicode.GetString(Slice(position, checked(count * 2)));
            }

            case 0xA:
            {
                long count = ReadCount(ref position, info, index);
                _ = Slice(position, checked(count * _refSize));
                var list = new List<object>((int)Math.Min(count, 1024));
                for (long i = 0; i < count; i++)
                {
                    list.Add(ReadObject((long)ReadUnsigned(position + (i * _refSize), _refSize), depth + 1));
                }

                return list;
            }

            case 0xD:
            {
                long count = ReadCount(ref position, info, index);
                _ = Slice(position, checked(count * 2 * _refSize));
                var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                for (long i = 0; i < count; i++)
                {
                    object key = ReadObject((long)ReadUnsigned(position + (i * _refSize), _refSize), depth + 1);
                    if (key is not string name)
                    {
                        throw new PlistFormatException($"object {index}: a dictionary key is not a string");
                    }

                    object value = ReadObject((long)ReadUnsigned(position + ((count + i) * _refSize), _refSize), depth + 1);
                    if (!dict.TryAdd(name, value))
                    {
                        throw new PlistFormatException($"the key '{name}' appears twice in one dictionary");
                    }
                }

                return dict;
            }

            default:
                throw new PlistFormatException($"object {index}: unsupported object type 0x{marker:X2} (UIDs and sets have no place in preferences)");
        }
    }

    private long ReadInteger(long position, int info, long index)
    {
        switch (info)
        {
            case 0:
            case 1:
            case 2:
                // 1, 2 and 4-byte integers are unsigned.
                return (long)ReadUnsigned(position, 1 << info);
            case 3:
                return BinaryPrimitives.ReadInt64BigEndian(Slice(position, 8));
            case 4:
                // A 16-byte integer holds values that do not fit 64 bits signed (CFNumber's unsigned 64-bit range).
                ReadOnlySpan<byte> wide = Slice(position, 16);
                if (BinaryPrimitives.ReadInt64BigEndian(wide) != 0 || BinaryPrimitives.ReadInt64BigEndian(wide[8..]) < 0)
                {
                    throw new PlistFormatException($"object {index}: an integer beyond 64 bits");
                }

                return BinaryPrimitives.ReadInt64BigEndian(wide[8..]);
            default:
                throw new PlistFormatException($"object {index}: an integer of 2^{info} bytes");
        }
    }

    private long ReadCount(ref long position, int info, long index)
    {
        if (info != 0xF)
        {
            return info;
        }

        byte marker = Slice(position, 1)[0];
        if (marker >> 4 != 0x1)
        {
            throw new PlistFormatException($"object {index}: a long count is not an integer");
        }

        int size = 1 << (marker & 0x0F);
        if (size > 8)
        {
            throw new PlistFormatException($"object {index}: a count wider than 8 bytes");
        }

        long count = (long)ReadUnsigned(position + 1, size);
        position += 1 + size;
        if (count < 0 || count > PlistLimits.MaxFileBytes)
        {
            throw new PlistFormatException($"object {index}: a count of {count} is out of range");
        }

        return count;
    }

    private ulong ReadUnsigned(long position, int size)
    {
        ReadOnlySpan<byte> bytes = Slice(position, size);
        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private ReadOnlySpan<byte> Slice(long position, long length)
    {
        if (position < 0 || length < 0 || position > _data.Length - TrailerBytes || length > _data.Length - TrailerBytes - position)
        {
            throw new PlistFormatException("the binary property list is truncated or an offset points outside it");
        }

        return _data.AsSpan((int)position, (int)length);
    }
}
