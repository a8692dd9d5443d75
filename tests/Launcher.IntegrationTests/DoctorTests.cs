using System.Text.Json;

namespace Launcher.IntegrationTests;

/// <summary>launcherctl doctor against a real daemon: a root daemon on a software TPM, and the daemon gone.</summary>
public sealed class DoctorTests
{
    [TpmRootFact(Timeout = 120000)]
    public async Task Doctor_AgainstATpmDaemon_ReportsTheTpmMakerAndTheLayout()
    {
        await using var sandbox = new Sandbox();
        using SwtpmInstance tpm = SwtpmInstance.Start(Path.Combine(sandbox.Root, "tpm"));
        await sandbox.StartDaemonReadyAsync("--key-store", "tpm", "--tpm-tcti", tpm.Tcti);
        sandbox.StartAgent(0);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Count == 1, "the agent registers");

        (int exit, string output) = await sandbox.CtlAsync(null, "doctor", "--json");

        using JsonDocument json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        Dictionary<string, JsonElement> checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        string Status(string name) => checks[name].GetProperty("status").GetString()!;
        string Summary(string name) => checks[name].GetProperty("summary").GetString()!;
        Assert.Equal("ok", Status("daemon"));
        Assert.Equal("ok", Status("socket"));
        Assert.Equal("ok", Status("state-dir"));
        Assert.Contains(sandbox.StateDirectory, Summary("state-dir"), StringComparison.Ordinal);
        Assert.Equal("ok", Status("key-store"));
        Assert.Equal("ok", Status("identity"));
        Assert.Equal("ok", Status("tpm"));
        Assert.Contains("made by IBM", Summary("tpm"), StringComparison.Ordinal);
        Assert.Contains(tpm.Tcti, Summary("tpm"), StringComparison.Ordinal);
        Assert.Equal("skip", Status("fleet"));
        Assert.Equal("skip", Status("clock"));
        Assert.Equal("ok", Status("disk"));
        Assert.Equal(json.RootElement.GetProperty("exitCode").GetInt32(), exit);
        Assert.Contains(exit, new[] { 0, 6 });
    }

    [RootFact(Timeout = 60000)]
    public async Task Doctor_AsAnotherUser_SkipsTheAdminChecks_AndReadsTheRest()
    {
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");

        (int exit, string output) = await sandbox.CtlAsync(65534, "doctor");

        Assert.Contains("needs root", output, StringComparison.Ordinal);
        Assert.Contains("sudo launcherctl doctor", output, StringComparison.Ordinal);
        Assert.Contains(output.Split('\n'), line => line.Contains(" ok ", StringComparison.Ordinal) && line.Contains(" daemon ", StringComparison.Ordinal));
        Assert.Contains(exit, new[] { 0, 6 });
    }

    [Fact(Timeout = 60000)]
    public async Task Doctor_NoDaemon_Exits7_WithTheFix()
    {
        await using var sandbox = new Sandbox();

        (int exit, string output) = await sandbox.CtlAsync(null, "doctor");

        Assert.Equal(7, exit);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("systemctl restart launcherd", output, StringComparison.Ordinal);
    }
}
