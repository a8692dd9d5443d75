using System.Diagnostics;

namespace Launcher.Platform.Tests.Files;

/// <summary>Makes named pipes with the system's mkfifo(1), so no test P/Invokes anything for it.</summary>
internal static class Fifo
{
    public static void Create(string path)
    {
        using Process process = Process.Start(new ProcessStartInfo("mkfifo", ["-m", "600", path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>Opens the FIFO for writing, which releases a reader stuck in open(2) (only when a test failed).</summary>
    public static void ReleaseBlockedReader(string path)
    {
        using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
    }
}
