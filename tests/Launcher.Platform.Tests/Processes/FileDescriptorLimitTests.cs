using Launcher.Platform.Processes;

namespace Launcher.Platform.Tests.Processes;

[Collection(DescriptorTableCollection.Name)]
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
    public void CountOpen_SeesTheDescriptorsThisTestOpens()
    {
        const int opened = 16;

        // Handles other tests leaked would otherwise be closed by the finalizer in the middle of the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        string path = Path.GetTempFileName();
        var streams = new List<FileStream>();
        try
        {
            int before = FileDescriptorLimit.CountOpen();
            for (int i = 0; i < opened; i++)
            {
                streams.Add(File.OpenRead(path));
            }

            Assert.InRange(FileDescriptorLimit.CountOpen() - before, opened, opened + 32);
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
            File.Delete(path);
        }
    }
}
