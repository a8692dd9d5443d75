using Launcher.Daemon.Hosting;

namespace Launcher.Daemon.Tests.Hosting;

public sealed class SystemdWatchdogTests
{
    [Theory]
    [InlineData("30000000", null, 4242, 15000.0)]
    [InlineData("30000000", "4242", 4242, 15000.0)]
    [InlineData("1000", null, 4242, 1.0)]
    public void Interval_IsHalfOfWatchdogUsec(string usec, string? pid, int self, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SystemdWatchdog.Interval(usec, pid, self));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("abc", null)]
    [InlineData("30000000", "999")]
    [InlineData("30000000", "x")]
    public void Interval_NoWatchdogForThisProcess_IsNull(string? usec, string? pid)
    {
        Assert.Null(SystemdWatchdog.Interval(usec, pid, 4242));
    }
}
