using System.Runtime.InteropServices;

namespace Launcher.Benchmarks.Harness;

/// <summary>The few libc calls the harness needs: a graceful stop for the children it started.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;

    /// <summary>Sends SIGTERM to one process this harness started (by its pid, never by name).</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
