using Launcher.Platform.Files;

namespace Launcher.Platform.Configuration;

/// <summary>
/// Reads a configuration file a privileged process will trust: it (or the file a symbolic link resolves to) must be a
/// regular file owned by root or by the reading process, and not writable by group or others, since it decides the
/// socket, the state directory and the key store. Bounded in size before reading.
/// </summary>
internal static class ConfigurationFile
{
    public const int MaxBytes = 256 * 1024;

    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode ReadableByOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The bytes of <paramref name="path"/> after the ownership and mode checks; null when it does not exist.</summary>
    public static byte[]? ReadTrusted(string path, uint allowedOwner, out UnixFileMode mode)
    {
        mode = 0;
        string target = path;
        try
        {
            if (Directory.Exists(path))
            {
                throw new ConfigurationException($"{path} is a directory, not a configuration file");
            }

            if (!File.Exists(path))
            {
                return null;
            }

            if (File.ResolveLinkTarget(path, returnFinalTarget: true) is FileSystemInfo resolved)
            {
                target = resolved.FullName;
            }

            (uint owner, UnixFileMode fileMode, _, _) = FileStatus.LStat(target);
            mode = fileMode;
            if (owner != 0 && owner != allowedOwner)
            {
                throw new ConfigurationException($"{path} is owned by uid {owner}; only root (or the process's own uid) may own a configuration file (chown root {path})");
            }

            if ((fileMode & WritableByOthers) != 0)
            {
                throw new ConfigurationException($"{path} is writable by group or others; refusing to trust it (chmod go-w {path})");
            }

            using FileStream stream = new(target, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxBytes)
            {
                throw new ConfigurationException($"{path} is {stream.Length} bytes; a configuration file may have at most {MaxBytes}");
            }

            byte[] data = new byte[stream.Length];
            stream.ReadExactly(data);
            return data;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read {path}: {ex.Message}");
        }
    }

    /// <summary>True when group or others may read a file with this mode (a secret must not be in such a file).</summary>
    public static bool IsReadableByOthers(UnixFileMode mode) => (mode & ReadableByOthers) != 0;
}
