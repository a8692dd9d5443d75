using System.Text.Json;
using System.Text.RegularExpressions;
using Launcher.Contracts.FleetLink;

namespace Launcher.IntegrationTests;

/// <summary>
/// The enrolment a configuration asks for, end to end: a real launcher-fleet process and a real launcherd started with
/// a launcherd.json holding fleet:server, fleet:enrolmentToken and fleet:caFile, as an MDM profile or a
/// config-management tool would leave it. Nobody runs <c>launcherctl fleet enroll</c>.
/// </summary>
public sealed partial class FleetAutoEnrolmentEndToEndTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [RootFact(Timeout = 300000)]
    public async Task ConfiguredServerTokenAndCa_TheDaemonEnrolsItselfAndConnects_AndARestartDoesNotSendTheTokenAgain()
    {
        await using var sandbox = new Sandbox();
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync();
        string token = await fleet.CreateEnrolmentTokenAsync(uses: 1);
        string config = WriteConfig(sandbox, fleet.Url, token, CopyCa(sandbox, fleet));

        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software", "--config", config);
        JsonElement status = await WaitForStatusAsync(sandbox, s => s.GetProperty("connected").GetBoolean(), "the daemon enrols itself and connects");

        Assert.True(status.GetProperty("enrolled").GetBoolean());
        Assert.Equal(fleet.Url, status.GetProperty("server").GetString());
        Assert.True(status.GetProperty("caPinned").GetBoolean());
        Assert.Equal(fleet.Url, status.GetProperty("configuredServer").GetString());
        Assert.Equal(FleetConfiguredStates.Enrolled, status.GetProperty("configuredState").GetString());
        string machineId = status.GetProperty("machineId").GetString()!;
        JsonElement machines = await fleet.GetAsync("/api/v1/machines");
        Assert.Contains(machines.GetProperty("machines").EnumerateArray(), m => m.GetProperty("id").GetString() == machineId);
        await Sandbox.EventuallyAsync(async () => (await fleet.GetAsync($"/api/v1/machines/{machineId}")).GetProperty("online").GetBoolean(), "the server lists the machine online", s_wait);
        Assert.Contains("as configured", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, daemon.Output, StringComparison.Ordinal);

        // A restart with the same (now used-up) token in the file: the stored enrolment is used; the token is not sent.
        daemon.KillHard();
        ChildProcess again = await sandbox.StartDaemonReadyAsync("--key-store", "software", "--config", config);
        JsonElement reconnected = await WaitForStatusAsync(sandbox, s => s.GetProperty("connected").GetBoolean(), "the restarted daemon connects with its stored enrolment");

        Assert.Equal(machineId, reconnected.GetProperty("machineId").GetString());
        Assert.Equal(FleetConfiguredStates.Enrolled, reconnected.GetProperty("configuredState").GetString());
        Assert.DoesNotContain("as configured", again.Output, StringComparison.Ordinal);
        Assert.Single(EnrolledLines(fleet));
        Assert.Empty(RefusedLines(fleet));
    }

    [RootFact(Timeout = 300000)]
    public async Task ConfiguredTokenUnknown_IsRefusedOnce_StatusAndDoctorSayWhy_AndTheServerSeesNoRetries()
    {
        await using var sandbox = new Sandbox();
        await using var fleet = new FleetServerProcess(Path.Combine(sandbox.Root, "fleet"));
        await fleet.StartAsync();
        const string Unknown = "lfe_this_token_was_never_issued";
        string config = WriteConfig(sandbox, fleet.Url, Unknown, CopyCa(sandbox, fleet));

        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software", "--config", config);
        JsonElement refused = await WaitForStatusAsync(sandbox, s => s.TryGetProperty("configuredState", out JsonElement state) && state.GetString() == FleetConfiguredStates.Refused, "the daemon reports the refusal");
        // Backoff would retry after at most 1 s, then 2 s, then 4 s: in 8 s a retrying daemon would have come back.
        await Task.Delay(TimeSpan.FromSeconds(8));
        JsonElement later = await WaitForStatusAsync(sandbox, _ => true, "status");
        (_, string text) = await sandbox.CtlAsync(null, "fleet", "status");
        (_, string doctor) = await sandbox.CtlAsync(null, "doctor", "--json");

        Assert.False(refused.GetProperty("enrolled").GetBoolean());
        Assert.Equal(2002, refused.GetProperty("lastErrorCode").GetInt32());
        Assert.Contains("InvalidToken", refused.GetProperty("configuredRefusal").GetString(), StringComparison.Ordinal);
        Assert.Equal(FleetConfiguredStates.Refused, later.GetProperty("configuredState").GetString());
        Assert.Contains("the configured enrolment was refused", text, StringComparison.Ordinal);
        Assert.Contains("InvalidToken", text, StringComparison.Ordinal);
        using (JsonDocument report = JsonDocument.Parse(doctor))
        {
            JsonElement check = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "fleet");
            Assert.Equal("fail", check.GetProperty("status").GetString());
            Assert.StartsWith("configured, refused: ", check.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }

        Assert.Single(RefusedLines(fleet));
        Assert.Empty(EnrolledLines(fleet));
        Assert.Single(Regex.Matches(daemon.Output, "refused the configured enrolment"));
        Assert.DoesNotContain(Unknown, daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Unknown, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Unknown, doctor, StringComparison.Ordinal);
    }

    private static List<string> RefusedLines(FleetServerProcess fleet) =>
        [.. fleet.Process!.Output.Split('\n').Where(l => l.Contains("enrolment refused (token)", StringComparison.Ordinal))];

    private static List<string> EnrolledLines(FleetServerProcess fleet) =>
        [.. fleet.Process!.Output.Split('\n').Where(l => EnrolledLine().IsMatch(l))];

    [GeneratedRegex(@"Machine \S+ enrolled \(")]
    private static partial Regex EnrolledLine();

    /// <summary>The fleet CA where an admin would put it: root-owned, 0644, outside the server's data directory.</summary>
    private static string CopyCa(Sandbox sandbox, FleetServerProcess fleet)
    {
        string path = Path.Combine(sandbox.Root, "fleet-ca.pem");
        File.Copy(fleet.CaFile, path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    /// <summary>launcherd.json as configuration management writes it: root's, 0600 (it holds a token).</summary>
    private static string WriteConfig(Sandbox sandbox, string server, string token, string caFile)
    {
        string path = Path.Combine(sandbox.Root, "launcherd.json");
        using (var stream = new MemoryStream())
        {
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("logLevel", "Information");
                json.WriteStartObject("fleet");
                json.WriteString("server", server);
                json.WriteString("enrolmentToken", token);
                json.WriteString("caFile", caFile);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            File.WriteAllBytes(path, stream.ToArray());
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static async Task<JsonElement> WaitForStatusAsync(Sandbox sandbox, Func<JsonElement, bool> condition, string what)
    {
        JsonElement last = default;
        try
        {
            await Sandbox.EventuallyAsync(
                async () =>
                {
                    (int exit, string output) = await sandbox.CtlAsync(null, "fleet", "status", "--json");
                    if (exit != 0)
                    {
                        return false;
                    }

                    using JsonDocument document = JsonDocument.Parse(output);
                    last = document.RootElement.Clone();
                    return condition(last);
                },
                what,
                s_wait);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: never happened; last fleet status {(last.ValueKind == JsonValueKind.Undefined ? "none" : last.GetRawText())}\n{sandbox.Daemon?.Output}");
        }

        return last;
    }
}
