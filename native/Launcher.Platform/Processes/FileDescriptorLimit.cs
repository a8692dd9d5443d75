using System.Runtime.InteropServices;

namespace Launcher.Platform.Processes;

/// <summary>
/// RLIMIT_NOFILE, the number of file descriptors this process may hold, and how many it holds now. The daemon
/// raises its soft limit to the hard one at start and sizes its connection caps from what is left.
/// </summary>
internal static partial class FileDescriptorLimit
{
    private const ulong Infinity = ulong.MaxValue;

    /// <summary>The soft and hard limits now.</summary>
    public static (ulong Soft, ulong Hard) Get()
    {
        if (NativeGetRLimit(ResourceNoFile, out RLimit limit) != 0)
        {
            throw new IOException($"getrlimit(RLIMIT_NOFILE) failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        return (limit.Current, limit.Maximum);
    }

    /// <summary>
    /// Raises the soft limit to the hard limit (bounded by what the OS accepts for one process) and returns the
    /// limits that hold afterwards. A refused raise leaves the soft limit as it was.
    /// </summary>
    public static (ulong Soft, ulong Hard) RaiseSoftToHard()
    {
        (ulong soft, ulong hard) = Get();
        ulong target = Math.Min(hard, MaxSoftLimit);
        if (target > soft)
        {
            var raised = new RLimit { Current = target, Maximum = hard };
            _ = NativeSetRLimit(ResourceNoFile, in raised);
        }

        return Get();
    }

    /// <summary>File descriptors open in this process now.</summary>
    public static int CountOpen()
    {
        // The enumeration holds one descriptor of its own on the directory while it runs.
        int count = Directory.EnumerateFileSystemEntries(OpenDescriptorsDirectory).Count();
        return Math.Max(0, count - 1);
    }

    private static int ResourceNoFile => OperatingSystem.IsMacOS() ? MacOSResourceNoFile : LinuxResourceNoFile;

    private static ulong MaxSoftLimit => OperatingSystem.IsMacOS() ? MacOSMaxSoftLimit : Infinity;

    private static string OpenDescriptorsDirectory => OperatingSystem.IsMacOS() ? MacOSDescriptorsDirectory : LinuxDescriptorsDirectory;

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int NativeGetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int NativeSetRLimit(int resource, in RLimit limit);
}
