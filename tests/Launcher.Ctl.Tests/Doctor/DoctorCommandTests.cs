using System.Text.Json;
using Launcher.Client;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Ctl.Doctor;
using Launcher.Rpc;

namespace Launcher.Ctl.Tests.Doctor;

public sealed class DoctorCommandTests
{
    private const string Socket = "/run/launcher/launcherd.sock";
    private const string State = "/var/lib/launcher";

    [Fact]
    public void Doctor_HealthyTpmMachine_AllOkOrSkipped_Exit0()
    {
        var harness = new CtlHarness(Daemon(Samples.Status(), Diagnosis()), FakeDoctorHost.Healthy(Socket, State) is var host ? host : null);
        host.Users = [new LoggedInUser(501, "alice"), new LoggedInUser(502, "bob"), new LoggedInUser(120, "gdm")];

        int exit = harness.Run("--socket", Socket, "doctor", "--json");

        using JsonDocument json = JsonDocument.Parse(harness.Out.ToString());
        Dictionary<string, string> statuses = json.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        Assert.Equal(0, exit);
        Assert.Equal("skip", json.RootElement.GetProperty("worst").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(
            ["daemon", "socket", "state-dir", "key-store", "identity", "tpm", "fleet", "clock", "agents", "disk"],
            statuses.Keys);
        Assert.All(statuses.Values, s => Assert.Contains(s, new[] { "ok", "skip" }));
        Assert.Equal("skip", statuses["fleet"]);
        Assert.Contains("Infineon (IFX)", harness.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_DaemonUnreachable_FailsWithAFix_Exit7()
    {
        var host = new FakeDoctorHost();
        var harness = new CtlHarness(new DaemonConnectException(DaemonConnectFailure.SocketMissing, Socket, "No daemon socket at /run/launcher/launcherd.sock."), host);

        int exit = harness.Run("--socket", Socket, "doctor");

        string output = harness.Out.ToString();
        Assert.Equal(CtlExitCodes.DoctorFailures, exit);
        Assert.Contains("FAIL", output, StringComparison.Ordinal);
        Assert.Contains("systemctl restart launcherd", output, StringComparison.Ordinal);
        Assert.Contains("worst: fail (exit 7)", output, StringComparison.Ordinal);
        Assert.Empty(harness.Error.ToString());
    }

    [Fact]
    public void Doctor_NotRoot_SkipsWhatNeedsDiagnose_AndSaysToUseSudo()
    {
        var table = new RpcHandlerTable()
            .Add(Methods.DaemonStatus, (context, request, cancellationToken) => ValueTask.FromResult(Samples.Status()))
            .Add(Methods.DaemonDiagnose, (context, request, cancellationToken) => throw new RpcException(ErrorCodes.AccessDenied, "Only root may call daemon/diagnose."));
        var harness = new CtlHarness(table, FakeDoctorHost.Healthy(Socket, State));

        int exit = harness.Run("--socket", Socket, "doctor", "--json");

        using JsonDocument json = JsonDocument.Parse(harness.Out.ToString());
        JsonElement keyStore = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "key-store");
        Assert.Equal(0, exit);
        Assert.Equal("skip", keyStore.GetProperty("status").GetString());
        Assert.Equal(DoctorChecks.RunAsRoot, keyStore.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_LoggedInUserWithoutAgent_Warns_Exit6()
    {
        var host = FakeDoctorHost.Healthy(Socket, State);
        host.Users = [new LoggedInUser(501, "alice"), new LoggedInUser(1005, "carol")];
        var harness = new CtlHarness(Daemon(Samples.Status(), Diagnosis()), host);

        int exit = harness.Run("--socket", Socket, "doctor");

        string output = harness.Out.ToString();
        Assert.Equal(CtlExitCodes.DoctorWarnings, exit);
        Assert.Contains("carol (1005) NO AGENT", output, StringComparison.Ordinal);
        Assert.Contains("--machine=carol@ restart launcher-agent", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_ConfiguredEnrolmentRefused_FailsTheFleetCheck_FromTheStatusJson()
    {
        var host = FakeDoctorHost.Healthy(Socket, State);
        string status = """
            {"version":"0.2.0","uptimeSeconds":5,"pid":9,"devMode":false,"agents":[],"connections":1,"pendingNotifications":0,
             "keyClass":"tpm","identityState":"ready","warnings":[],
             "fleet":{"enrolled":false,"connected":false,"configuredServer":"https://fleet.example.com","configuredState":"refused",
                      "configuredRefusal":"The fleet server refused the enrolment: token used up (InvalidToken, code 2002)."}}
            """;
        var harness = new CtlHarness(RawDaemon(status, Diagnosis()), host);

        int exit = harness.Run("--socket", Socket, "doctor", "--json");

        using JsonDocument json = JsonDocument.Parse(harness.Out.ToString());
        Dictionary<string, JsonElement> checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(CtlExitCodes.DoctorFailures, exit);
        Assert.Equal("fail", checks["fleet"].GetProperty("status").GetString());
        Assert.Contains("configured, refused: https://fleet.example.com refused the configured enrolment: The fleet server refused the enrolment: token used up", checks["fleet"].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_FleetSectionOfStatus_IsChecked_WithTheServersClock()
    {
        var host = FakeDoctorHost.Healthy(Socket, State);
        host.ServerDate = host.Now.AddMinutes(-10);
        // A certificate with 3 h left: renewal (at half of 24 h) is overdue.
        string notAfter = host.Now.AddHours(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        string status = $$$"""
            {"version":"0.2.0","uptimeSeconds":5,"pid":9,"devMode":false,"agents":[],"connections":1,"pendingNotifications":0,
             "keyClass":"tpm","identityState":"ready","warnings":[],
             "fleet":{"server":"https://fleet.example.com","enrolled":true,"connected":true,"machineId":"m-1","certificateNotAfter":"{{{notAfter}}}"}}
            """;
        var harness = new CtlHarness(RawDaemon(status, Diagnosis()), host);

        int exit = harness.Run("--socket", Socket, "doctor", "--json");

        using JsonDocument json = JsonDocument.Parse(harness.Out.ToString());
        Dictionary<string, JsonElement> checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(CtlExitCodes.DoctorFailures, exit);
        Assert.Equal("warn", checks["fleet"].GetProperty("status").GetString());
        Assert.Contains("expires", checks["fleet"].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("fail", checks["clock"].GetProperty("status").GetString());
        Assert.Contains("600 s ahead of https://fleet.example.com", checks["clock"].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal([new Uri("https://fleet.example.com")], host.ServersAsked);
    }

    [Fact]
    public void Doctor_HumanOutput_IsATableWithEveryCheck()
    {
        var harness = new CtlHarness(Daemon(Samples.Status(), Diagnosis()), FakeDoctorHost.Healthy(Socket, State));

        harness.Run("--socket", Socket, "doctor");

        string output = harness.Out.ToString();
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        foreach (string name in new[] { "daemon", "socket", "state-dir", "key-store", "identity", "tpm", "fleet", "clock", "agents", "disk" })
        {
            Assert.Contains("│ " + name, output, StringComparison.Ordinal);
        }

        Assert.Contains("worst: skip (exit 0)", output, StringComparison.Ordinal);
    }

    internal static DiagnoseResult Diagnosis(bool tpmReachable = true) => new()
    {
        SocketPath = Socket,
        StateDirectory = State,
        KeyStore = new KeyStoreDiagnosis { Configured = "auto", KeyClass = "tpm", Available = tpmReachable, Detail = "TPM 2.0 answers and supports ECC P-256" },
        Tpm = new TpmDiagnosis { Tcti = "device:/dev/tpmrm0", Reachable = tpmReachable, ManufacturerId = "IFX", Manufacturer = "Infineon", FirmwareVersion = "7.85.0.0" },
        Disk = new DiskDiagnosis { Path = State, AvailableBytes = 10L << 30, TotalBytes = 100L << 30 },
    };

    private static RpcHandlerTable Daemon(StatusResult status, DiagnoseResult diagnosis) => new RpcHandlerTable()
        .Add(Methods.DaemonStatus, (context, request, cancellationToken) => ValueTask.FromResult(status))
        .Add(Methods.DaemonDiagnose, (context, request, cancellationToken) => ValueTask.FromResult(diagnosis));

    private static RpcHandlerTable RawDaemon(string statusJson, DiagnoseResult diagnosis)
    {
        var rawStatus = new RpcMethod<JsonElement, JsonElement>(Methods.DaemonStatus.Name, ClientJsonContext.Default.JsonElement, ClientJsonContext.Default.JsonElement);
        return new RpcHandlerTable()
            .Add(rawStatus, (context, request, cancellationToken) => ValueTask.FromResult(JsonDocument.Parse(statusJson).RootElement.Clone()))
            .Add(Methods.DaemonDiagnose, (context, request, cancellationToken) => ValueTask.FromResult(diagnosis));
    }
}
