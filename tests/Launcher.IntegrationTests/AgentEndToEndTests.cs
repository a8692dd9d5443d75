using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>Real daemon, real agents under two uids, real launcherctl: notifications end to end.</summary>
public sealed class AgentEndToEndTests
{
    private const uint Alice = 1001;
    private const uint Bob = 1002;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [RootFact(Timeout = 120000)]
    public async Task Notify_OneUid_OnlyThatUsersAgentShowsIt_AndItIsAcknowledged()
    {
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        ChildProcess alice = sandbox.StartAgent(Alice);
        ChildProcess bob = sandbox.StartAgent(Bob);
        await WaitForAgentsAsync(sandbox, Alice, Bob);

        (int exit, string output) = await sandbox.CtlAsync(null, "notify", "--uid", Alice.ToString(), "--title", "Disk almost full", "--body", "Free 2 GB");
        Assert.Equal(0, exit);
        string id = output.Trim().Split('\n').Last().Trim();

        using JsonDocument shown = JsonDocument.Parse(await alice.WaitForLineAsync(id, s_wait));
        Assert.Equal("Disk almost full", shown.RootElement.GetProperty("title").GetString());
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).PendingNotifications == 0, "the ack reaches the daemon");
        Assert.DoesNotContain(id, bob.Output, StringComparison.Ordinal);
    }

    [RootFact(Timeout = 120000)]
    public async Task AllUsers_ReachesEveryUid_IncludingOneThatConnectsLater()
    {
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        ChildProcess alice = sandbox.StartAgent(Alice);
        await WaitForAgentsAsync(sandbox, Alice);

        (int exit, string output) = await sandbox.CtlAsync(null, "notify", "--all-users", "--title", "Maintenance", "--body", "Tonight");
        Assert.Equal(0, exit);
        string id = output.Trim().Split('\n').Last().Trim();
        await alice.WaitForLineAsync(id, s_wait);

        ChildProcess bob = sandbox.StartAgent(Bob);
        await bob.WaitForLineAsync(id, s_wait);
    }

    [RootFact(Timeout = 180000)]
    public async Task KillDaemon_AfterSendBeforeAgentConnects_NotificationArrivesOnceAfterRestart()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        (int exit, string output) = await sandbox.CtlAsync(null, "notify", "--uid", Alice.ToString(), "--title", "Queued", "--body", "while nobody listened");
        Assert.Equal(0, exit);
        string id = output.Trim().Split('\n').Last().Trim();

        daemon.KillHard();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        ChildProcess alice = sandbox.StartAgent(Alice);

        await alice.WaitForLineAsync(id, s_wait);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).PendingNotifications == 0, "the ack after restart");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few redelivery sweeps (1 s each in tests)
        Assert.Equal(1, CountLines(alice.Output, id));
    }

    [RootFact(Timeout = 180000)]
    public async Task KillDaemon_RightAfterSend_WithAgentConnected_ShownExactlyOnce()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        ChildProcess alice = sandbox.StartAgent(Alice);
        await WaitForAgentsAsync(sandbox, Alice);

        (int exit, string output) = await sandbox.CtlAsync(null, "notify", "--uid", Alice.ToString(), "--title", "Race", "--body", "kill -9 now");
        Assert.Equal(0, exit);
        string id = output.Trim().Split('\n').Last().Trim();
        daemon.KillHard();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");

        await alice.WaitForLineAsync(id, s_wait);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).PendingNotifications == 0, "the agent reconnects and the ack is recorded");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, CountLines(alice.Output, id));
    }

    [RootFact(Timeout = 120000)]
    public async Task OtherUid_CannotCallAdminMethods_NorRegisterAsAnotherUid()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");

        (int notifyExit, string notifyOutput) = await sandbox.CtlAsync(Alice, "notify", "--uid", Bob.ToString(), "--title", "spoof", "--body", "x");
        (int proveExit, _) = await sandbox.CtlAsync(Alice, "identity", "prove", "--audience", "a", "--nonce", "nonce-1234567");
        (int resetExit, _) = await sandbox.CtlAsync(Alice, "identity", "reset", "--yes");
        (int registerExit, string registerOutput) = await sandbox.CtlAsync(Alice, "call", "agent/register", $"{{\"uid\":{Bob},\"agentVersion\":\"spoof\"}}");
        (int statusExit, _) = await sandbox.CtlAsync(Alice, "status");

        Assert.Equal(4, notifyExit);
        Assert.Contains("denied", notifyOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, proveExit);
        Assert.Equal(4, resetExit);
        Assert.Equal(4, registerExit);
        Assert.Contains($"uid {Alice}", registerOutput, StringComparison.Ordinal);
        Assert.Equal(0, statusExit);
        Assert.Empty((await sandbox.StatusAsync()).Agents);
        Assert.Contains($"Denied notification/send for uid {Alice}", daemon.Output, StringComparison.Ordinal);
        Assert.Contains($"claimed uid {Bob}", daemon.Output, StringComparison.Ordinal);
    }

    [RootFact(Timeout = 120000)]
    public async Task UserKeyFallback_ThroughARealAgent_WhenTheMachineKeyIsLost()
    {
        await using var sandbox = new Sandbox();
        ChildProcess first = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        first.KillHard();
        File.WriteAllBytes(Path.Combine(sandbox.StateDirectory, "machine-key.software.p8"), [0x30, 0x03, 0x02, 0x01, 0x00]);
        // No one is logged in at this machine's console, so the uid that may serve the fallback is configured.
        await sandbox.StartDaemonReadyAsync("--key-store", "software", "--allow-user-key-fallback", "--user-key-uids", Alice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sandbox.StartAgent(Alice, "--user-key", "software");
        await WaitForAgentsAsync(sandbox, Alice);
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);

        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "https://fleet.example", Nonce = "fallback-nonce-1" });

        Assert.Equal(IdentityStates.Lost, identity.State);
        Assert.Equal(KeyClasses.UserSoftware, proof.KeyClass);
        string[] parts = proof.Jws.Split('.');
        ProofHeader header = JsonSerializer.Deserialize(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]), ProofJsonContext.Default.ProofHeader)!;
        EcPublicKey signer = EcPublicKey.FromSec1([0x04, .. System.Buffers.Text.Base64Url.DecodeFromChars(header.Jwk.X), .. System.Buffers.Text.Base64Url.DecodeFromChars(header.Jwk.Y)]);
        Assert.True(ProofReader.TryVerify(proof.Jws, signer, out ProofHeader? verifiedHeader, out ProofClaims? claims));
        Assert.Equal(ProofFormat.UserProofType, verifiedHeader!.Type);
        Assert.Equal(Alice, claims!.Uid);
        Assert.Equal("fallback-nonce-1", claims.Nonce);
        Assert.Equal(KeyClasses.UserSoftware, claims.KeyClass);
    }

    [RootFact(Timeout = 120000)]
    public async Task Agent_RefusesADaemonSocketOwnedByAnotherUser()
    {
        await using var sandbox = new Sandbox();
        string fakeDirectory = Path.Combine(sandbox.Root, "fake");
        Directory.CreateDirectory(fakeDirectory);
        ChildProcess.Chown(fakeDirectory, Bob);
        string fakeSocket = Path.Combine(fakeDirectory, "launcherd.sock");
        await using ChildProcess fake = ChildProcess.Start(Repo.Daemon, ["run", "--dev", "--socket", fakeSocket, "--state-dir", Path.Combine(fakeDirectory, "state"), "--key-store", "software"], uid: Bob, workingDirectory: fakeDirectory);
        await Sandbox.EventuallyAsync(() => Task.FromResult(File.Exists(fakeSocket)), "the fake daemon listens");

        string state = Path.Combine(sandbox.Root, "agent-fake");
        Directory.CreateDirectory(state);
        ChildProcess.Chown(state, Alice);
        await using ChildProcess alice = ChildProcess.Start(Repo.Agent, ["run", "--socket", fakeSocket, "--presenter", "stdout", "--state-dir", state], uid: Alice);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.DoesNotContain("registered", fake.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"uid {Bob}", alice.Output, StringComparison.Ordinal);
    }

    private static async Task WaitForAgentsAsync(Sandbox sandbox, params uint[] uids)
    {
        await Sandbox.EventuallyAsync(
            async () =>
            {
                StatusResult status = await sandbox.StatusAsync();
                return uids.All(uid => status.Agents.Any(a => a.Uid == uid));
            },
            "agents of uids " + string.Join(",", uids) + " register");
    }

    private static int CountLines(string output, string id) =>
        output.Split('\n').Count(line => line.Contains(id, StringComparison.Ordinal) && line.TrimStart().StartsWith('{'));
}
