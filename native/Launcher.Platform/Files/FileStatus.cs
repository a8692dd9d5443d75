using System.Runtime.InteropServices;

namespace Launcher.Platform.Files;

/// <summary>
/// Owner and mode of a path without following a final symbolic link. Uses the runtime's own portable lstat
/// (libSystem.Native ships with every .NET install and normalises struct stat across Linux and macOS), so no
/// per-OS struct layout lives here.
/// </summary>
internal static partial class FileStatus
{
    private const int UidOffset = 8;
    private const int ModeOffset = 4;

    public static (uint Uid, UnixFileMode Mode, bool IsSymbolicLink, bool IsSocket) LStat(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Clear();
        if (SystemNativeLStat(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot stat {path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }

        int mode = BitConverter.ToInt32(buffer[ModeOffset..]);
        uint uid = BitConverter.ToUInt32(buffer[UidOffset..]);
        const int typeMask = 0xF000;
        const int typeLink = 0xA000;
        const int typeSocket = 0xC000;
        return (uid, (UnixFileMode)(mode & 0xFFF), (mode & typeMask) == typeLink, (mode & typeMask) == typeSocket);
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeLStat(string path, ref byte output);
}
