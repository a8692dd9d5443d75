using Launcher.Platform.Processes;

namespace Launcher.Platform.Tests.Processes;

public sealed class FileDescriptorLimitTests
{
    [Fact]
    public void Get_MatchesWhatTheKernelReports()
    {
        (ulong soft, ulong hard) = FileDescriptorLimit.Get();

        Assert.InRange(soft, 1UL, hard);
        if (OperatingSystem.IsLinux())
        {
            string line = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(fields[0], soft.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void RaiseSoftToHard_LeavesTheSoftLimitAtTheHardOne()
    {
        (ulong soft, ulong hard) = FileDescriptorLimit.RaiseSoftToHard();

        Assert.Equal(OperatingSystem.IsMacOS() ? Math.Min(hard, 10240UL) : hard, soft);
    }

    [Fact]
    public void CountOpen_SeesADescriptorThisTestOpens()
    {
        int before = FileDescriptorLimit.CountOpen();
        string path = Path.GetTempFileName();
        try
        {
            using (File.OpenRead(path))
            {
                Assert.True(FileDescriptorLimit.CountOpen() >= before + 1);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
