using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Launcher.Platform.Files;

/// <summary>
/// Files that hold secrets and state: read only when they are regular files reached without a symbolic link, and
/// written atomically (temporary file, fsync, rename, fsync of the directory) with exactly mode 0600.
/// </summary>
/// <remarks>
/// Nothing here P/Invokes the variadic <c>open(path, flags, ...)</c>: on Apple Silicon a variadic argument is passed on
/// the stack, where a fixed-argument P/Invoke never puts it, so the mode would be whatever the stack held. Files are
/// opened with the runtime's <see cref="File.OpenHandle"/> and <see cref="FileStream"/>; the mode is set with fchmod on
/// the new handle (<see cref="File.SetUnixFileMode(SafeFileHandle, UnixFileMode)"/>), so the umask cannot change it.
/// O_NOFOLLOW is replaced by checks around the open: the path's lstat must be a regular file before the open (a link,
/// a FIFO, a device or a directory is refused without being opened, so a FIFO can never block the caller), and the
/// handle's fstat must be the same inode afterwards (a swap between the two is refused).
/// </remarks>
internal static partial class SecureFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // pal_io.h of the runtime: the flags SystemNative_Open translates to the OS's own numbers.
    private const int PalReadOnly = 0x0000;
    private const int PalCloseOnExec = 0x0010;

    /// <summary>
    /// Reads a whole file; refuses a symbolic link or anything that is not a regular file at <paramref name="path"/>
    /// (<see cref="IOException"/>) and files over the cap (<see cref="InvalidDataException"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static byte[] ReadAllBytes(string path, int maxBytes = 1 << 20)
    {
        using SafeFileHandle handle = OpenRegularForReading(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (stream.Length > maxBytes)
        {
            throw new InvalidDataException($"{path} is larger than {maxBytes} bytes.");
        }

        var buffer = new byte[stream.Length];
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Replaces <paramref name="path"/> atomically with <paramref name="contents"/> (mode 0600).</summary>
    public static void WriteAllBytesAtomic(string path, ReadOnlySpan<byte> contents) => WriteAtomic(path, contents, overwrite: true);

    /// <summary>Writes a new file that must not exist yet, atomically; throws <see cref="IOException"/> if it does.</summary>
    public static void CreateNewAtomic(string path, ReadOnlySpan<byte> contents)
    {
        if (File.Exists(path) || IsSymbolicLink(path))
        {
            throw new IOException($"{path} already exists.");
        }

        WriteAtomic(path, contents, overwrite: false);
    }

    public static bool IsSymbolicLink(string path)
    {
        return new FileInfo(path).LinkTarget is not null;
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static SafeFileHandle OpenRegularForReading(string path)
    {
        FileIdentity before = FileStatus.LIdentity(path);
        RefuseUnlessRegular(path, before.Kind);

        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            FileIdentity opened = FileStatus.FIdentity(handle);
            if (opened.Kind != FileKind.Regular || !opened.IsSameFileAs(before))
            {
                throw new IOException($"{path} was replaced while it was being opened ({FileStatus.Describe(opened.Kind)} now); refusing it.");
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return handle;
    }

    private static void RefuseUnlessRegular(string path, FileKind kind)
    {
        if (kind == FileKind.SymbolicLink)
        {
            throw new IOException($"{path} is a symbolic link; refusing to follow it.");
        }

        if (kind != FileKind.Regular)
        {
            throw new IOException($"{path} is {FileStatus.Describe(kind)}, not a regular file; refusing to open it.");
        }
    }

    private static void WriteAtomic(string path, ReadOnlySpan<byte> contents, bool overwrite)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            // CreateNew is O_CREAT|O_EXCL, which never follows a link at the (random) temporary name.
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                UnixCreateMode = OwnerReadWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                // The create mode is filtered by the umask; fchmod on the handle is not.
                File.SetUnixFileMode(stream.SafeFileHandle, OwnerReadWrite);
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces a link at the path, never its target. Without overwrite the runtime refuses an
            // existing destination, so a file that appeared since the check above is kept.
            File.Move(temp, path, overwrite);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FsyncDirectory(directory);
    }

    private static void FsyncDirectory(string directory)
    {
        // File.OpenHandle refuses directories, so the runtime's fixed-argument SystemNative_Open opens it.
        IntPtr fd = SystemNativeOpen(directory, PalReadOnly | PalCloseOnExec, 0);
        if (fd < 0)
        {
            return;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        _ = SystemNativeFSync(handle);
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr SystemNativeOpen(string path, int flags, int mode);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FSync", SetLastError = true)]
    private static partial int SystemNativeFSync(SafeFileHandle fd);
}
