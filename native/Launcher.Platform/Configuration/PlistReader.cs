namespace Launcher.Platform.Configuration;

/// <summary>
/// Reads a property list, XML (<c>&lt;plist&gt;</c>) or binary (<c>bplist00</c>), into plain .NET values:
/// <see cref="Dictionary{TKey,TValue}"/> of string to object, <see cref="List{T}"/> of object, string, long,
/// double, bool, <see cref="DateTimeOffset"/> and byte[]. This is what an MDM profile writes to
/// <c>/Library/Managed Preferences</c> (cfprefsd writes binary; profiles and tests often give XML).
/// </summary>
internal static class PlistReader
{
    private static ReadOnlySpan<byte> BinaryMagic => "bplist00"u8;

    /// <summary>Reads a file, checking its size before reading it.</summary>
    public static object ReadFile(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > PlistLimits.MaxFileBytes)
        {
            throw new PlistFormatException($"the property list is {stream.Length} bytes; at most {PlistLimits.MaxFileBytes} are read");
        }

        byte[] data = new byte[stream.Length];
        stream.ReadExactly(data);
        return Read(data);
    }

    /// <summary>Reads a property list held in memory.</summary>
    public static object Read(ReadOnlySpan<byte> data)
    {
        if (data.Length > PlistLimits.MaxFileBytes)
        {
            throw new PlistFormatException($"the property list is {data.Length} bytes; at most {PlistLimits.MaxFileBytes} are read");
        }

        return data.StartsWith(BinaryMagic) ? BinaryPlistParser.Parse(data) : XmlPlistParser.Parse(data);
    }
}
