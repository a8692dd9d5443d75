using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Launcher.Platform.Files;

/// <summary>
/// Files that hold secrets and state: opened without following symbolic links, written atomically
/// (temporary file, fsync, rename, fsync of the directory) with mode 0600.
/// </summary>
internal static partial class SecureFile
{
    private const int ModeOwnerReadWrite = 0x180; // 0600

    /// <summary>Reads a whole file; refuses a symbolic link at <paramref name="path"/> and files over the cap.</summary>
    public static byte[] ReadAllBytes(string path, int maxBytes = 1 << 20)
    {
        using SafeFileHandle handle = Open(path, OpenFlags.ReadOnly, 0);
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
    public static void WriteAllBytesAtomic(string path, ReadOnlySpan<byte> contents)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (SafeFileHandle handle = Open(temp, OpenFlags.CreateExclusiveWriteOnly, ModeOwnerReadWrite))
            using (var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FsyncDirectory(directory);
    }

    /// <summary>Writes a new file that must not exist yet, atomically; throws <see cref="IOException"/> if it does.</summary>
    public static void CreateNewAtomic(string path, ReadOnlySpan<byte> contents)
    {
        if (File.Exists(path) || IsSymbolicLink(path))
        {
            throw new IOException($"{path} already exists.");
        }

        WriteAllBytesAtomic(path, contents);
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

    private static SafeFileHandle Open(string path, OpenFlags flags, int mode)
    {
        int native = OpenFlagValues.Current.Translate(flags);
        int fd = NativeOpen(path, native, mode);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == OpenFlagValues.Current.ELoop)
            {
                throw new IOException($"{path} is a symbolic link; refusing to follow it.");
            }

            if (errno == OpenFlagValues.Current.ENoEnt)
            {
                throw new FileNotFoundException($"{path} does not exist.", path);
            }

            throw new IOException($"Cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}.");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static void FsyncDirectory(string directory)
    {
        int fd = NativeOpen(directory, OpenFlagValues.Current.Translate(OpenFlags.ReadOnly), 0);
        if (fd < 0)
        {
            return;
        }

        _ = NativeFsync(fd);
        _ = NativeClose(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeOpen(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int NativeFsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int NativeClose(int fd);
}
