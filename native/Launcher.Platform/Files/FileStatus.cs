using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Launcher.Platform.Files;

/// <summary>
/// Owner, mode, type and inode of a path (without following a final symbolic link) or of an open handle. Uses the
/// runtime's own portable lstat/fstat (libSystem.Native ships with every .NET install and normalises struct stat
/// across Linux and macOS into one fixed layout), so no per-OS struct layout lives here. Both functions take fixed
/// arguments: nothing variadic is ever P/Invoked (on Apple Silicon a variadic argument travels on the stack, where a
/// fixed-argument P/Invoke never puts it).
/// </summary>
internal static partial class FileStatus
{
    // struct FileStatus of the runtime's pal_io.h: int32 Flags, int32 Mode, uint32 Uid, uint32 Gid, int64 Size,
    // int64 ATime, ATimeNsec, MTime, MTimeNsec, CTime, CTimeNsec, BirthTime, BirthTimeNsec, Dev, RDev, Ino, uint32
    // UserFlags: 120 bytes; the buffer is larger so a runtime that appends a field cannot overrun it.
    private const int BufferBytes = 256;
    private const int ModeOffset = 4;
    private const int UidOffset = 8;
    private const int DevOffset = 88;
    private const int InoOffset = 104;

    // ENOENT is 2 on Linux and on Darwin.
    private const int ENoEnt = 2;

    private const int TypeMask = 0xF000;

    public static (uint Uid, UnixFileMode Mode, bool IsSymbolicLink, bool IsSocket) LStat(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferBytes];
        LStatInto(path, buffer);
        int mode = BitConverter.ToInt32(buffer[ModeOffset..]);
        uint uid = BitConverter.ToUInt32(buffer[UidOffset..]);
        FileKind kind = KindOf(mode);
        return (uid, (UnixFileMode)(mode & 0xFFF), kind == FileKind.SymbolicLink, kind == FileKind.Socket);
    }

    /// <summary>The type and inode of <paramref name="path"/> itself (a link is reported as a link).</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static FileIdentity LIdentity(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferBytes];
        LStatInto(path, buffer);
        return IdentityOf(buffer);
    }

    /// <summary>The type and inode of the file behind an open handle.</summary>
    public static FileIdentity FIdentity(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Span<byte> buffer = stackalloc byte[BufferBytes];
        buffer.Clear();
        if (SystemNativeFStat(handle, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot stat an open file: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }

        return IdentityOf(buffer);
    }

    /// <summary>A lower-case name for messages ("a FIFO", "a directory").</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a special file",
    };

    private static void LStatInto(string path, Span<byte> buffer)
    {
        buffer.Clear();
        if (SystemNativeLStat(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENoEnt)
            {
                throw new FileNotFoundException($"{path} does not exist.", path);
            }

            throw new IOException($"Cannot stat {path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }
    }

    private static FileIdentity IdentityOf(ReadOnlySpan<byte> buffer) => new(
        KindOf(BitConverter.ToInt32(buffer[ModeOffset..])),
        BitConverter.ToInt64(buffer[DevOffset..]),
        BitConverter.ToInt64(buffer[InoOffset..]));

    private static FileKind KindOf(int mode) => (mode & TypeMask) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        _ => FileKind.Other,
    };

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeLStat(string path, ref byte output);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static partial int SystemNativeFStat(SafeFileHandle fd, ref byte output);
}
