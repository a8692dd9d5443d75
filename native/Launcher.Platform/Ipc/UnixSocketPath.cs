using System.Text;

namespace Launcher.Platform.Ipc;

/// <summary>Limits of Unix socket paths, which differ per OS (sun_path is 108 bytes on Linux, 104 on macOS).</summary>
internal static class UnixSocketPath
{
    public static int MaxBytes => OperatingSystem.IsMacOS() ? 103 : 107;

    /// <summary>Null when <paramref name="path"/> fits in sun_path with its terminating NUL; the reason otherwise.</summary>
    public static string? Check(string path)
    {
        int bytes = Encoding.UTF8.GetByteCount(path);
        return bytes > MaxBytes ? $"The socket path {path} is {bytes} bytes; this OS allows {MaxBytes}." : null;
    }
}
