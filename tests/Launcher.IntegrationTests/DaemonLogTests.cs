using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>What launcherd writes when it stops cleanly (nothing alarming) and when it cannot start (one line).</summary>
public sealed class DaemonLogTests
{
    [RootFact(Timeout = 120000)]
    public async Task Sigterm_WithAnAgentAndAClientConnected_LogsNoErrorCriticalOrStackTrace()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        sandbox.StartAgent(1001);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Count == 1, "the agent registers");
        await using JsonRpcConnection client = await TestClient.ConnectAsync(sandbox.SocketPath);
        StatusResult status = await client.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
        Assert.Equal("ready", status.IdentityState);

        daemon.Terminate();
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(0, exit);
        Assert.Contains("Stopping:", daemon.Output, StringComparison.Ordinal);
        Assert.Empty(Alarming(daemon.Output));
    }

    [RootFact(Timeout = 60000)]
    public async Task StartFailure_SocketCannotBeBound_PrintsExactlyOneClearError()
    {
        await using var sandbox = new Sandbox();
        string notADirectory = Path.Combine(sandbox.Root, "run", "file");
        await File.WriteAllTextAsync(notADirectory, "x");

        await using ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["run", "--socket", Path.Combine(notADirectory, "launcherd.sock"), "--state-dir", sandbox.StateDirectory, "--key-store", "software"], workingDirectory: sandbox.Root);
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(3, exit);
        string error = Assert.Single(ErrorLines(daemon.Output));
        Assert.StartsWith("launcherd: cannot start: ", error, StringComparison.Ordinal);
        Assert.Contains(notADirectory, error, StringComparison.Ordinal);
        Assert.Empty(Alarming(daemon.Output));
    }

    [RootFact(Timeout = 60000)]
    public async Task StartFailure_StateDirectoryWritableByOthers_PrintsExactlyOneClearError()
    {
        await using var sandbox = new Sandbox();
        File.SetUnixFileMode(sandbox.StateDirectory, (UnixFileMode)0b111_111_111);

        ChildProcess daemon = sandbox.StartDaemon("--key-store", "software");
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);

        Assert.Equal(3, exit);
        string error = Assert.Single(ErrorLines(daemon.Output));
        Assert.Contains("writable by group or others", error, StringComparison.Ordinal);
        Assert.Empty(Alarming(daemon.Output));
    }

    /// <summary>Error and Critical log lines and stack-trace lines.</summary>
    private static string[] Alarming(string output) => output.Split('\n')
        .Where(line => line.Contains(" fail: ", StringComparison.Ordinal)
            || line.Contains(" crit: ", StringComparison.Ordinal)
            || line.TrimStart().StartsWith("at ", StringComparison.Ordinal)
            || line.Contains("   at ", StringComparison.Ordinal)
            || line.Contains("Exception", StringComparison.Ordinal))
        .ToArray();

    private static string[] ErrorLines(string output) => output.Split('\n')
        .Select(line => line.TrimEnd('\r'))
        .Where(line => line.StartsWith("launcherd:", StringComparison.Ordinal))
        .ToArray();
}
