using Launcher.Daemon.Identity;

namespace Launcher.Daemon.Tests.Identity;

public sealed class ConsoleUserTests
{
    [Theory]
    [InlineData("# This is private data. Do not parse.\nIS_SEAT0=1\nCAN_GRAPHICAL=1\nACTIVE=c2\nACTIVE_UID=1000\nSESSIONS=c2 3\nUIDS=1000 1001\n", 1000u)]
    [InlineData("IS_SEAT0=1\nCAN_GRAPHICAL=0\n", null)]
    [InlineData("ACTIVE_UID=-1\n", null)]
    [InlineData("ACTIVE_UID=abc\n", null)]
    [InlineData(null, null)]
    public void ParseSeatState_ReadsTheActiveUid(string? state, uint? expected)
    {
        Assert.Equal(expected, ConsoleUser.ParseSeatState(state));
    }
}
