using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Launcher.Platform.Ipc;

/// <summary>The few CoreFoundation calls the code-signing check needs. Every Create/Copy result is released by its caller.</summary>
[SupportedOSPlatform("macos")]
internal static unsafe partial class CoreFoundation
{
    public const string LibraryPath = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";

    // CFStringBuiltInEncodings.kCFStringEncodingUTF8 in <CoreFoundation/CFString.h>.
    private const uint StringEncodingUtf8 = 0x08000100;

    private static readonly IntPtr s_library = NativeLibrary.Load(LibraryPath);

    /// <summary>&amp;kCFTypeDictionaryKeyCallBacks: keys are retained by the dictionary and released with it.</summary>
    public static IntPtr TypeDictionaryKeyCallBacks { get; } = NativeLibrary.GetExport(s_library, "kCFTypeDictionaryKeyCallBacks");

    /// <summary>&amp;kCFTypeDictionaryValueCallBacks.</summary>
    public static IntPtr TypeDictionaryValueCallBacks { get; } = NativeLibrary.GetExport(s_library, "kCFTypeDictionaryValueCallBacks");

    /// <summary>A new CFString (caller releases), or throws when CoreFoundation cannot allocate it.</summary>
    public static IntPtr CreateString(string value)
    {
        IntPtr result = CFStringCreateWithCString(IntPtr.Zero, value, StringEncodingUtf8);
        return result != IntPtr.Zero ? result : throw new InvalidOperationException("CFStringCreateWithCString failed.");
    }

    /// <summary>A new CFData holding a copy of <paramref name="bytes"/> (caller releases).</summary>
    public static IntPtr CreateData(ReadOnlySpan<byte> bytes)
    {
        IntPtr result;
        fixed (byte* pointer = bytes)
        {
            result = CFDataCreate(IntPtr.Zero, pointer, bytes.Length);
        }

        return result != IntPtr.Zero ? result : throw new InvalidOperationException("CFDataCreate failed.");
    }

    /// <summary>A new one-entry CFDictionary that retains <paramref name="key"/> and <paramref name="value"/> (caller releases).</summary>
    public static IntPtr CreateDictionary(IntPtr key, IntPtr value)
    {
        IntPtr result = CFDictionaryCreate(IntPtr.Zero, &key, &value, 1, TypeDictionaryKeyCallBacks, TypeDictionaryValueCallBacks);
        return result != IntPtr.Zero ? result : throw new InvalidOperationException("CFDictionaryCreate failed.");
    }

    /// <summary>Reads a CFString into .NET; null for a null reference or text that does not convert.</summary>
    public static string? ToManagedString(IntPtr cfString)
    {
        if (cfString == IntPtr.Zero)
        {
            return null;
        }

        nint maximum = CFStringGetMaximumSizeForEncoding(CFStringGetLength(cfString), StringEncodingUtf8);
        if (maximum < 0 || maximum > 64 * 1024)
        {
            return null;
        }

        nint capacity = maximum + 1;
        byte[] buffer = new byte[capacity];
        fixed (byte* pointer = buffer)
        {
            if (CFStringGetCString(cfString, pointer, capacity, StringEncodingUtf8) == 0)
            {
                return null;
            }
        }

        int length = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }

    /// <summary>CFRelease that tolerates null (CFRelease itself crashes on NULL).</summary>
    public static void Release(IntPtr cf)
    {
        if (cf != IntPtr.Zero)
        {
            CFRelease(cf);
        }
    }

    /// <summary>Reads a CFStringRef global exported by a framework (e.g. a dictionary key constant).</summary>
    public static IntPtr ReadExportedConstant(IntPtr library, string name)
    {
        IntPtr address = NativeLibrary.GetExport(library, name);
        return Marshal.ReadIntPtr(address);
    }

    [LibraryImport(LibraryPath, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr CFStringCreateWithCString(IntPtr allocator, string value, uint encoding);

    [LibraryImport(LibraryPath)]
    private static partial IntPtr CFDataCreate(IntPtr allocator, byte* bytes, nint length);

    [LibraryImport(LibraryPath)]
    private static partial IntPtr CFDictionaryCreate(IntPtr allocator, IntPtr* keys, IntPtr* values, nint count, IntPtr keyCallBacks, IntPtr valueCallBacks);

    [LibraryImport(LibraryPath)]
    private static partial nint CFStringGetLength(IntPtr cfString);

    [LibraryImport(LibraryPath)]
    private static partial nint CFStringGetMaximumSizeForEncoding(nint length, uint encoding);

    [LibraryImport(LibraryPath)]
    private static partial byte CFStringGetCString(IntPtr cfString, byte* buffer, nint bufferSize, uint encoding);

    [LibraryImport(LibraryPath)]
    private static partial void CFRelease(IntPtr cf);
}
