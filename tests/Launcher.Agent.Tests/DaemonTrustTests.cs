using Launcher.Agent.Connection;

namespace Launcher.Agent.Tests;

public sealed class DaemonTrustTests
{
    [Theory]
    [InlineData(0u, 501u, null)]
    [InlineData(501u, 501u, null)]
    [InlineData(0u, 0u, null)]
    [InlineData(777u, 501u, 777u)]
    [InlineData(0u, 501u, 777u)]
    public void Check_RootOwnOrExpectedUid_IsTrusted(uint daemonUid, uint ownUid, uint? expected)
    {
        Assert.Null(DaemonTrust.Check(daemonUid, ownUid, expected));
    }

    [Theory]
    [InlineData(502u, 501u, null)]
    [InlineData(65534u, 501u, 777u)]
    [InlineData(1u, 0u, null)]
    public void Check_OtherUid_IsRefusedWithReason(uint daemonUid, uint ownUid, uint? expected)
    {
        string? reason = DaemonTrust.Check(daemonUid, ownUid, expected);

        Assert.NotNull(reason);
        Assert.Contains($"uid {daemonUid}", reason);
    }
}
