using System.Net;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// A real launcher-fleet process (SQLite, its own CA and TLS certificate), a real launcherd (software key, or a TPM
/// key on swtpm), a real agent and launcherctl: enrolment, the link, a notification from the admin API to the
/// agent and its outcome back on the server, fresh proofs verified by the server, and an outcome that survives
/// kill -9 of the daemon while the server is down.
/// </summary>
public sealed class FleetEndToEndTests
{
    private const uint Alice = 1001;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(45);

    [RootFact(Timeout = 240000)]
    public async Task Enroll_Push_Outcome_Status_Leave_WithASoftwareKey()
    {
        await using var sandbox = new Sandbox();
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");

        // A server the system does not trust, and a bad token: refused with clear messages, nothing stored.
        (int untrustedExit, string untrusted) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", "lfe_whatever");
        Assert.Equal(1, untrustedExit);
        Assert.Contains("not trusted by the system", untrusted, StringComparison.Ordinal);
        (int badTokenExit, string badToken) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", "lfe_not_a_token", "--ca-file", fleet.CaFile);
        Assert.Equal(1, badTokenExit);
        Assert.Contains("InvalidToken", badToken, StringComparison.Ordinal);
        Assert.Contains("code 2002", badToken, StringComparison.Ordinal);
        Assert.DoesNotContain("lfe_not_a_token", badToken, StringComparison.Ordinal);

        string token = await fleet.CreateEnrolmentTokenAsync();
        (int exit, string enrolled) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", token, "--ca-file", fleet.CaFile, "--json");
        Assert.True(exit == 0, enrolled);
        using JsonDocument result = JsonDocument.Parse(enrolled);
        string machineId = result.RootElement.GetProperty("machineId").GetString()!;
        Assert.Equal($"spiffe://test.example/machine/{machineId}", result.RootElement.GetProperty("spiffeId").GetString());
        (int reuseExit, string reuse) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", token, "--ca-file", fleet.CaFile);
        Assert.Equal(1, reuseExit);
        Assert.Contains("InvalidToken", reuse, StringComparison.Ordinal);

        FleetLinkStatus linked = await WaitConnectedAsync(sandbox);
        Assert.Equal(machineId, linked.MachineId);
        Assert.Equal(fleet.Url, linked.Server);
        (int statusExit, string statusText) = await sandbox.CtlAsync(null, "fleet", "status");
        Assert.Equal(0, statusExit);
        Assert.Contains("connected to " + fleet.Url, statusText, StringComparison.Ordinal);
        Assert.Contains(machineId, statusText, StringComparison.Ordinal);
        (_, string daemonStatus) = await sandbox.CtlAsync(null, "status");
        Assert.Contains("connected to " + fleet.Url, daemonStatus, StringComparison.Ordinal);
        await Sandbox.EventuallyAsync(async () => (await fleet.GetAsync($"/api/v1/machines/{machineId}")).GetProperty("online").GetBoolean(), "the server lists the machine online");

        ChildProcess alice = sandbox.StartAgent(Alice);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Any(a => a.Uid == Alice), "alice's agent registers");
        (HttpStatusCode created, JsonElement pushed) = await fleet.PostAsync($"/api/v1/machines/{machineId}/notifications", $$"""{"uid": {{Alice}}, "title": "From the fleet", "body": "Pushed by the admin API"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        string notificationId = pushed.GetProperty("id").GetString()!;

        using JsonDocument shown = JsonDocument.Parse(await alice.WaitForLineAsync("From the fleet", s_wait));
        Assert.Equal("Pushed by the admin API", shown.RootElement.GetProperty("body").GetString());
        await fleet.WaitForOutcomeAsync(notificationId, Alice, "shown", s_wait);

        // The admin revokes the machine: the server closes the link and refuses the next authentication.
        (HttpStatusCode revoked, _) = await fleet.PostAsync($"/api/v1/machines/{machineId}/revoke", "{}");
        Assert.Equal(HttpStatusCode.OK, revoked);
        await Sandbox.EventuallyAsync(async () => (await FleetStatusAsync(sandbox)).LastErrorCode == 2006, "the daemon reports MachineRevoked", s_wait);
        (_, string revokedStatus) = await sandbox.CtlAsync(null, "fleet", "status");
        Assert.Contains("not connected", revokedStatus, StringComparison.Ordinal);
        Assert.Contains("MachineRevoked", revokedStatus, StringComparison.Ordinal);
        Assert.Contains("[code 2006]", revokedStatus, StringComparison.Ordinal);
        (int localExit, _) = await sandbox.CtlAsync(null, "notify", "--uid", Alice.ToString(), "--title", "local", "--body", "still works");
        Assert.Equal(0, localExit);

        (int leaveExit, string left) = await sandbox.CtlAsync(null, "fleet", "leave", "--yes");
        Assert.Equal(0, leaveExit);
        Assert.Contains(machineId, left, StringComparison.Ordinal);
        FleetLinkStatus after = await FleetStatusAsync(sandbox);
        Assert.False(after.Enrolled);
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, "fleet.json")));
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, "machine-cert.pem")));
    }

    [RootFact(Timeout = 240000)]
    public async Task Enroll_ThroughATlsTerminatingProxy_IsRefusedForItsChannelBinding()
    {
        await using var sandbox = new Sandbox();
        var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await using var proxy = new TlsTerminatingProxy(fleet.Port);
        await using (fleet)
        {
            // The operator published the proxy's address: aud matches, only the certificate differs.
            await fleet.StartAsync("--public-url", proxy.Url);
            await sandbox.StartDaemonReadyAsync("--key-store", "software");
            string bundle = Path.Combine(sandbox.Root, "trusted.pem");
            await File.WriteAllTextAsync(bundle, await File.ReadAllTextAsync(fleet.CaFile) + "\n" + proxy.CaPem);
            string token = await fleet.CreateEnrolmentTokenAsync();

            (int exit, string output) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", proxy.Url, "--token", token, "--ca-file", bundle);

            Assert.Equal(1, exit);
            Assert.Contains("ChannelBindingMismatch", output, StringComparison.Ordinal);
            Assert.Contains("code 2005", output, StringComparison.Ordinal);
            Assert.False((await FleetStatusAsync(sandbox)).Enrolled);
        }
    }

    [TpmRootFact(Timeout = 240000)]
    public async Task TpmKey_EnrollsTpmEkVerifiedWithTheMaker_AndAFreshProofVerifiesAtTheServerWithGrants()
    {
        await using var sandbox = new Sandbox();
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed(Path.Combine(sandbox.Root, "tpm"));
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync("--tpm-roots", tpm.LocalCaDirectory);
        await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", tpm.Tcti);

        string token = await fleet.CreateEnrolmentTokenAsync();
        (int exit, string enrolled) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", token, "--ca-file", fleet.CaFile);
        Assert.True(exit == 0, enrolled);
        Assert.Contains("spiffe://test.example/machine/", enrolled, StringComparison.Ordinal);
        Assert.Contains("tpm-ek-verified (TPM maker ", enrolled, StringComparison.Ordinal);
        FleetLinkStatus linked = await WaitConnectedAsync(sandbox);
        JsonElement machine = await fleet.GetAsync($"/api/v1/machines/{linked.MachineId}");
        Assert.Equal("tpm", machine.GetProperty("keyClass").GetString());
        Assert.Equal("tpm-ek-verified", machine.GetProperty("attestationLevel").GetString());
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("evidence").GetProperty("tpmMaker").GetString()));

        // A relying service picks an audience and a nonce, the machine proves, the fleet server verifies.
        string nonce = "relying-" + Guid.NewGuid().ToString("N");
        (int proveExit, string proof) = await sandbox.CtlAsync(null, "identity", "prove", "--audience", "https://relying.example", "--nonce", nonce);
        Assert.Equal(0, proveExit);
        string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["proof"] = proof.Trim(), ["audience"] = "https://relying.example", ["nonce"] = nonce });
        (HttpStatusCode status, JsonElement verified) = await fleet.PostAsync("/api/v1/verify", body);

        Assert.True(status == HttpStatusCode.OK, verified.ToString());
        Assert.Equal(linked.MachineId, verified.GetProperty("machineId").GetString());
        Assert.Equal("tpm-ek-verified", verified.GetProperty("attestationLevel").GetString());
        Assert.Equal(JsonValueKind.Array, verified.GetProperty("grants").ValueKind);
        (HttpStatusCode replayed, _) = await fleet.PostAsync("/api/v1/verify", body);
        Assert.Equal(HttpStatusCode.Forbidden, replayed);
        sandbox.Daemon!.KillHard();
    }

    [TpmRootFact(Timeout = 240000)]
    public async Task TpmKey_OfAnUntrustedMaker_IsRefusedWhenThePolicyRequiresEkVerified_AndLauncherctlSaysWhy()
    {
        await using var sandbox = new Sandbox();
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed(Path.Combine(sandbox.Root, "tpm"));
        string policy = Path.Combine(sandbox.Root, "policy.json");
        await File.WriteAllTextAsync(policy, """{"enrolment": {"minimumAttestationLevel": "tpm-ek-verified"}, "grants": [{"grant": "fleet:member"}]}""");
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync("--policy", policy); // no --tpm-roots: the swtpm's maker is not trusted
        await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", tpm.Tcti);

        string token = await fleet.CreateEnrolmentTokenAsync();
        (int exit, string output) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", token, "--ca-file", fleet.CaFile);

        Assert.Equal(1, exit);
        Assert.Contains("PolicyRefused", output, StringComparison.Ordinal);
        Assert.Contains("requires attestation level tpm-ek-verified", output, StringComparison.Ordinal);
        Assert.Contains("tpm-unverified", output, StringComparison.Ordinal);
        Assert.False((await FleetStatusAsync(sandbox)).Enrolled);
        Assert.Equal(0, (await fleet.GetAsync("/api/v1/machines")).GetProperty("machines").GetArrayLength());
        JsonElement audit = await fleet.GetAsync("/api/v1/audit");
        Assert.Contains("enrol.refused", audit.GetRawText(), StringComparison.Ordinal);
        sandbox.Daemon!.KillHard();
    }

    [RootFact(Timeout = 300000)]
    public async Task KillDaemon_WithAnOutcomePending_ItReachesTheServerAfterRestart()
    {
        await using var sandbox = new Sandbox();
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        string token = await fleet.CreateEnrolmentTokenAsync();
        (int exit, string enrolled) = await sandbox.CtlAsync(null, "fleet", "enroll", "--server", fleet.Url, "--token", token, "--ca-file", fleet.CaFile);
        Assert.True(exit == 0, enrolled);
        string machineId = (await WaitConnectedAsync(sandbox)).MachineId!;

        // Pushed while no agent runs: the daemon holds it. Then the server goes down.
        (_, JsonElement pushed) = await fleet.PostAsync($"/api/v1/machines/{machineId}/notifications", $$"""{"uid": {{Alice}}, "title": "Outcome must survive", "body": "kill -9"}""");
        string notificationId = pushed.GetProperty("id").GetString()!;
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).PendingNotifications == 1, "the daemon stores the pushed notification");
        await fleet.StopAsync();

        ChildProcess alice = sandbox.StartAgent(Alice);
        await alice.WaitForLineAsync("Outcome must survive", s_wait);
        await Sandbox.EventuallyAsync(async () => (await FleetStatusAsync(sandbox)).PendingOutcomes == 1, "the outcome waits in the daemon's queue");
        daemon.KillHard();

        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        Assert.Equal(1, (await FleetStatusAsync(sandbox)).PendingOutcomes);
        await fleet.StartAsync();

        await fleet.WaitForOutcomeAsync(notificationId, Alice, "shown", TimeSpan.FromSeconds(90));
        await Sandbox.EventuallyAsync(async () => (await FleetStatusAsync(sandbox)).PendingOutcomes == 0, "the queue empties once the server answered");
    }

    private static async Task<FleetLinkStatus> FleetStatusAsync(Sandbox sandbox)
    {
        await using JsonRpcConnection client = await TestClient.ConnectAsync(sandbox.SocketPath);
        return await client.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance);
    }

    private static async Task<FleetLinkStatus> WaitConnectedAsync(Sandbox sandbox)
    {
        FleetLinkStatus? last = null;
        try
        {
            await Sandbox.EventuallyAsync(async () => (last = await FleetStatusAsync(sandbox)).Connected, "the fleet link connects", s_wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The link did not connect: {last?.LastError} (code {last?.LastErrorCode})\n{sandbox.Daemon?.Output}");
        }

        StatusResult status = await sandbox.StatusAsync();
        Assert.True(status.Fleet!.Connected);
        return last!;
    }
}
