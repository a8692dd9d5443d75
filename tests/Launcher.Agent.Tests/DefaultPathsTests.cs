using Launcher.Platform.Ipc;

namespace Launcher.Agent.Tests;

public sealed class DefaultPathsTests
{
    [Fact]
    public void AgentStateDirectory_MacOS_IsApplicationSupport()
    {
        Assert.Equal("/Users/ann/Library/Application Support/Launcher", DefaultPaths.AgentStateDirectory(macOS: true, "/Users/ann", "/ignored"));
    }

    [Fact]
    public void AgentStateDirectory_LinuxWithXdgStateHome_UsesIt()
    {
        Assert.Equal("/data/state/launcher", DefaultPaths.AgentStateDirectory(macOS: false, "/home/ann", "/data/state"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/state")]
    public void AgentStateDirectory_LinuxWithoutUsableXdgStateHome_IsLocalState(string? xdg)
    {
        Assert.Equal("/home/ann/.local/state/launcher", DefaultPaths.AgentStateDirectory(macOS: false, "/home/ann", xdg));
    }

    [Fact]
    public void DaemonSocket_Dev_IsUnderWorkingDirectory()
    {
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, ".launcher-dev", "launcherd.sock"), DefaultPaths.DaemonSocket(dev: true));
    }
}
