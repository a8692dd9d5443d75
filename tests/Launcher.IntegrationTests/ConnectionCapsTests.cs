using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// The connection caps against real floods: a reserve root keeps when other uids take every slot they may, and
/// caps sized to the file-descriptor limit so a flood is refused instead of exhausting the descriptor table.
/// </summary>
public sealed partial class ConnectionCapsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(120);

    [RootPythonFact(Timeout = 300000)]
    public async Task NonRootUids_FillEverySlotTheyMay_RootStillConnects_AndStatusWorks()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = sandbox.StartDaemonWithFileLimit(640, 640, "--key-store", "software");
        await sandbox.WaitReadyAsync(daemon);
        (int total, int reserve, int perUid) = ParseCaps(daemon.Output);
        Assert.True(4 * perUid > total - reserve, $"four uids ({perUid} each) can ask for more than the {total - reserve} non-admin slots");

        int served = 0;
        foreach (uint uid in new uint[] { 1101, 1102, 1103, 1104 })
        {
            ChildProcess holder = sandbox.StartHelper("hold_connections.py", uid, sandbox.SocketPath, perUid.ToString(CultureInfo.InvariantCulture));
            served += ParseCounts(await holder.WaitForLineAsync("served", s_wait)).Served;
        }

        (int exit, string output) = await sandbox.CtlAsync(null, "status");
        StatusResult status = await sandbox.StatusAsync();

        Assert.Equal(total - reserve, served);
        Assert.True(exit == 0, "launcherctl status as root failed:\n" + output);
        Assert.Contains("identity", output, StringComparison.Ordinal);
        Assert.InRange(status.Connections, total - reserve + 1, total);
        Assert.False(daemon.HasExited);
    }

    [RootPythonFact(Timeout = 300000)]
    public async Task DescriptorLimitBelowTheCaps_Flood_IsRefused_DaemonStaysUp_AndServesAfterwards()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = sandbox.StartDaemonWithFileLimit(400, 400, "--key-store", "software");
        await sandbox.WaitReadyAsync(daemon);

        // As root, which no per-uid cap limits: the flood meets the total cap, far beyond what 400 descriptors hold.
        ChildProcess flood = sandbox.StartHelper("hold_connections.py", null, sandbox.SocketPath, "1500");
        HelperCounts counts = ParseCounts(await flood.WaitForLineAsync("served", s_wait));

        Assert.False(daemon.HasExited, "launcherd died under the flood:\n" + daemon.Output);
        (int total, _, _) = ParseCaps(daemon.Output);
        Assert.True(total < 400, $"the caps fit the descriptor limit (total {total})");
        Assert.InRange(counts.Served, 1, total);
        Assert.True(counts.Refused > 0, $"the excess is refused with an answer ({counts})");
        await using (JsonRpcConnection whileFlooded = await TestClient.ConnectAsync(sandbox.SocketPath))
        {
            // Root may be refused now (every slot is root's own flood); the daemon must answer either way.
            await AnswersOrRefusesAsync(whileFlooded);
        }

        await flood.DisposeAsync();
        await Sandbox.EventuallyAsync(
            async () =>
            {
                try
                {
                    return (await sandbox.StatusAsync()).Connections <= 1;
                }
                catch (Exception ex) when (ex is RpcConnectionLostException or IOException)
                {
                    // Still refused while the daemon closes the flood's connections.
                    return false;
                }
            },
            "the flood's connections are gone");
        ChildProcess after = sandbox.StartHelper("hold_connections.py", 1101, sandbox.SocketPath, "5");
        Assert.Equal(5, ParseCounts(await after.WaitForLineAsync("served", s_wait)).Served);
        Assert.False(daemon.HasExited);
    }

    [RootFact(Timeout = 60000)]
    public async Task SoftDescriptorLimitBelowTheHardOne_IsRaised_AndTheCapsFollowTheHardLimit()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = sandbox.StartDaemonWithFileLimit(300, 16384, "--key-store", "software");
        await sandbox.WaitReadyAsync(daemon);

        (int total, int reserve, int perUid) = ParseCaps(daemon.Output);

        Assert.Equal((4096, 64, 1100), (total, reserve, perUid));
        string limits = await File.ReadAllTextAsync($"/proc/{daemon.Pid}/limits");
        Assert.Matches(@"Max open files\s+16384\s+16384", limits);
    }

    /// <summary>The caps launcherd logs at start; a daemon that logs none is taken to use the fixed defaults.</summary>
    internal static (int Total, int Reserve, int PerUid) ParseCaps(string output)
    {
        Match caps = CapsLine().Match(output);
        if (!caps.Success)
        {
            return (RpcLimits.Default.MaxConnections, 0, RpcLimits.Default.MaxConnectionsPerUid);
        }

        return (Int(caps.Groups[1]), Int(caps.Groups[2]), Int(caps.Groups[3]));

        static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);
    }

    private static HelperCounts ParseCounts(string line) =>
        JsonSerializer.Deserialize<HelperCounts>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("no counts: " + line);

    private static async Task AnswersOrRefusesAsync(JsonRpcConnection client)
    {
        try
        {
            Assert.NotNull(await client.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch (Exception ex) when (ex is RpcConnectionLostException or IOException)
        {
            // Refused with the framed busy error and closed: an answer too.
        }
    }

    [GeneratedRegex(@"Connection caps: (\d+) in total \((\d+) of them reserved for admins\), (\d+) per non-root uid")]
    private static partial Regex CapsLine();

    private sealed record HelperCounts(int Served, int Refused, int Failed);
}
