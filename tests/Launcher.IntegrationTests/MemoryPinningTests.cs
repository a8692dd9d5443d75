using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;
using Xunit.Abstractions;

namespace Launcher.IntegrationTests;

/// <summary>
/// Issue 9's memory-pinning attack against the real root daemon: one uid, 1,100 registered agent connections
/// (the per-uid cap), each holding an unfinished 1 MiB message. The daemon's memory stays bounded and it keeps
/// serving another uid throughout.
/// </summary>
public sealed class MemoryPinningTests(ITestOutputHelper output)
{
    private const uint Attacker = 1001;
    private const long RssLimitKb = 250 * 1024;

    [RootNodeFact(Timeout = 240000)]
    public async Task OneUid_WithAThousandUnfinishedMessages_CannotPinTheDaemonsMemory()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        string script = Path.Combine(sandbox.Root, "pin-memory.js");
        File.Copy(Path.Combine(Repo.Root, "tests", "Launcher.IntegrationTests", "Attacks", "pin-memory.js"), script);
        File.SetUnixFileMode(script, (UnixFileMode)0b110_100_100);

        await using ChildProcess attack = ChildProcess.StartProgram("node", [script, sandbox.SocketPath, "1100", (1024 * 1024).ToString(CultureInfo.InvariantCulture)], uid: Attacker, workingDirectory: sandbox.Root);

        long maxRssKb = 0;
        int statusCalls = 0;
        string lastProgress = "{}";
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(40))
        {
            Assert.False(daemon.HasExited, "launcherd died:\n" + daemon.Output);
            maxRssKb = Math.Max(maxRssKb, ReadStatusKb(daemon.Pid, "VmRSS:"));

            // Another uid (root here) is served throughout: every status call answers.
            StatusResult status = await sandbox.StatusAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("ready", status.IdentityState);
            statusCalls++;
            while (attack.StdoutLines.TryRead(out string? line))
            {
                lastProgress = line;
            }

            await Task.Delay(250);
        }

        using JsonDocument progress = JsonDocument.Parse(lastProgress);
        int registered = progress.RootElement.GetProperty("registered").GetInt32();
        long peakKb = ReadStatusKb(daemon.Pid, "VmHWM:");
        output.WriteLine($"attacker: {lastProgress}; daemon RSS max sampled {maxRssKb / 1024} MiB, peak (VmHWM) {peakKb / 1024} MiB; {statusCalls} status calls answered");
        Assert.True(registered >= 1000, $"the attack registered only {registered} agents: {lastProgress}\n{attack.Output}");
        Assert.True(peakKb < RssLimitKb, $"daemon peak RSS {peakKb / 1024} MiB (sampled max {maxRssKb / 1024} MiB) under the attack: {lastProgress}");
        Assert.Contains("unfinished", daemon.Output, StringComparison.Ordinal);
    }

    private static long ReadStatusKb(int pid, string field)
    {
        string line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
