using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.FleetLink;
using Launcher.Daemon.Configuration;
using Launcher.Daemon.Fleet;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Tests.Fleet;

/// <summary>
/// The enrolment the configuration asks for (fleet:server, fleet:enrolmentToken, fleet:caFile) against the in-test
/// fleet server over real TLS WebSockets: it enrols by itself, retries what retrying can fix with the link's backoff,
/// stops at a definitive refusal, leaves an enrolled machine alone, reports another server, enrols again after leave,
/// and never runs beside a manual enrolment.
/// </summary>
public sealed class FleetAutoEnrolmentTests
{
    private const string Token = "lfe_good";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private static FleetLinkOptions FastOptions() => new()
    {
        FirstDelayMax = TimeSpan.Zero,
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        HandshakeCallTimeout = TimeSpan.FromSeconds(5),
        OutcomePollInterval = TimeSpan.FromSeconds(1),
    };

    private static FleetSettings Settings(string server, string? token, TestCertificates certificates) => new()
    {
        Server = new Uri(server),
        EnrolmentToken = token,
        CaFile = "/etc/launcher/fleet-ca.pem",
        CaCertificatePem = certificates.CaPem,
    };

    [Fact(Timeout = 30000)]
    public async Task NotEnrolled_WithServerAndToken_EnrolsItselfWithThePinnedCa_AndConnects()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus status = await WaitForAsync(admin, s => s.Connected);

        Assert.True(status.Enrolled);
        Assert.Equal("m-1", status.MachineId);
        Assert.True(status.CaPinned);
        Assert.Equal(server.Url, status.ConfiguredServer);
        Assert.Equal(FleetConfiguredStates.Enrolled, status.ConfiguredState);
        Assert.Null(status.ConfiguredRefusal);
        Assert.Equal(1, server.EnrolAttempts);
        Assert.True(File.Exists(daemon.Directory.File(FleetStateStore.CaFile)));
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task UnknownToken_IsRefusedOnce_ShownInStatus_LoggedOnceWithoutTheToken_AndNotRetried()
    {
        using var certificates = new TestCertificates();
        var logger = new ListLogger<FleetLink>();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, "lfe_used_up_token", certificates), fleetLogger: logger);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus refused = await WaitForAsync(admin, s => s.ConfiguredState == FleetConfiguredStates.Refused);
        // Many backoff periods (50 to 200 ms): a retry would have happened by now.
        await Task.Delay(1000);
        FleetLinkStatus later = await admin.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance);

        Assert.False(refused.Enrolled);
        Assert.Equal(FleetErrorCodes.InvalidToken, refused.LastErrorCode);
        Assert.Contains("InvalidToken", refused.ConfiguredRefusal, StringComparison.Ordinal);
        Assert.Null(refused.NextAttemptAt);
        Assert.Equal(1, server.EnrolAttempts);
        Assert.Equal(1, server.Connections);
        Assert.Equal(FleetConfiguredStates.Refused, later.ConfiguredState);
        var warnings = logger.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Single(warnings);
        Assert.Contains("refused the configured enrolment", warnings[0].Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain("lfe_used_up_token", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain("lfe_used_up_token", JsonSerializer.Serialize(later, LauncherJsonContext.Default.FleetLinkStatus), StringComparison.Ordinal);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Theory(Timeout = 30000)]
    [InlineData(FleetErrorCodes.InvalidProof)]
    [InlineData(FleetErrorCodes.MachineRevoked)]
    [InlineData(FleetErrorCodes.UnknownMachine)]
    [InlineData(FleetErrorCodes.AttestationFailed)]
    [InlineData(FleetErrorCodes.PolicyRefused)]
    public async Task DefinitiveRefusal_StopsTheAutomaticAttempts(int code)
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { EnrollError = new RpcException(code, "Refused by the test.") };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus refused = await WaitForAsync(admin, s => s.ConfiguredState == FleetConfiguredStates.Refused);
        await Task.Delay(600);

        Assert.Equal(code, refused.LastErrorCode);
        Assert.Contains("Refused by the test.", refused.ConfiguredRefusal, StringComparison.Ordinal);
        Assert.Equal(1, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Theory(Timeout = 30000)]
    [InlineData(FleetErrorCodes.Overloaded)]
    [InlineData(FleetErrorCodes.NonceRejected)]
    [InlineData(FleetErrorCodes.NotAuthenticated)]
    [InlineData(FleetErrorCodes.ChannelBindingMismatch)]
    [InlineData(RpcErrorCodes.InternalError)]
    public async Task TransientFailure_IsRetriedWithBackoff_UntilItPasses(int code)
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { EnrollError = new RpcException(code, "Not now.") };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus enrolling = await WaitForAsync(admin, s => s.NextAttemptAt is not null && server.EnrolAttempts >= 3);
        server.EnrollError = null;
        FleetLinkStatus connected = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal(FleetConfiguredStates.Enrolling, enrolling.ConfiguredState);
        Assert.Contains("Not now.", enrolling.LastError, StringComparison.Ordinal);
        Assert.Null(enrolling.ConfiguredRefusal);
        Assert.Equal(FleetConfiguredStates.Enrolled, connected.ConfiguredState);
        Assert.Null(connected.LastError);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerBusy_Http503_TheConfiguredEnrolmentWaitsForRetryAfter()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { Behaviour = FakeFleetBehaviour.Busy, RetryAfterSeconds = 120 };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus status = await WaitForAsync(admin, s => s.NextAttemptAt is not null);
        int connections = server.Connections;
        await Task.Delay(500);

        Assert.Equal(FleetConfiguredStates.Enrolling, status.ConfiguredState);
        Assert.Contains("busy (HTTP 503)", status.LastError, StringComparison.Ordinal);
        Assert.True(status.NextAttemptAt >= before.AddSeconds(120), $"next attempt {status.NextAttemptAt:o} is before the server's Retry-After");
        Assert.Equal(connections, server.Connections);
        Assert.Equal(0, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task OverloadedWithRetryAfterSeconds_TheConfiguredEnrolmentWaitsForIt()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        var busy = new RpcException(FleetErrorCodes.Overloaded, "Try again later.", JsonDocument.Parse("{\"retryAfterSeconds\":300}").RootElement.Clone());
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { EnrollError = busy };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus status = await WaitForAsync(admin, s => s.NextAttemptAt is not null);
        await Task.Delay(500);

        Assert.Equal(FleetConfiguredStates.Enrolling, status.ConfiguredState);
        Assert.Equal(FleetErrorCodes.Overloaded, status.LastErrorCode);
        Assert.True(status.NextAttemptAt >= before.AddSeconds(300));
        Assert.Equal(1, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerDown_TheConfiguredEnrolmentRetriesWithBackoff_AndTheLocalApiKeepsServing()
    {
        using var certificates = new TestCertificates();
        int port;
        using (var reserved = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            reserved.Start();
            port = ((System.Net.IPEndPoint)reserved.LocalEndpoint).Port;
        }

        await using var daemon = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings($"https://127.0.0.1:{port}", Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus first = await WaitForAsync(admin, s => s.NextAttemptAt is not null);
        FleetLinkStatus later = await WaitForAsync(admin, s => s.NextAttemptAt is not null && s.NextAttemptAt != first.NextAttemptAt);
        var local = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);

        Assert.Equal(FleetConfiguredStates.Enrolling, first.ConfiguredState);
        Assert.False(first.Enrolled);
        Assert.NotNull(first.LastError);
        Assert.Null(first.LastErrorCode);
        Assert.Equal(FleetConfiguredStates.Enrolling, later.ConfiguredState);
        Assert.Equal(FleetConfiguredStates.Enrolling, local.Fleet!.ConfiguredState);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task EnrolledWithTheConfiguredServer_TheTokenIsNotUsedAgain()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = Token, CaCertificatePem = certificates.CaPem });
        Assert.Equal(1, server.EnrolAttempts);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus status = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal(FleetConfiguredStates.Enrolled, status.ConfiguredState);
        Assert.Equal(1, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task EnrolledWithAnotherServer_StaysWithIt_AndReportsTheMismatch_WithoutEnrollingAtTheConfiguredOne()
    {
        using var certificates = new TestCertificates();
        var logger = new ListLogger<FleetLink>();
        DaemonHarness? holder = null;
        await using var enrolledWith = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using var configured = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(configured.Url, Token, certificates), fleetLogger: logger);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = enrolledWith.Url, Token = Token, CaCertificatePem = certificates.CaPem });

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus status = await WaitForAsync(admin, s => s.Connected);
        await Task.Delay(300);

        Assert.Equal(enrolledWith.Url, status.Server);
        Assert.Equal(configured.Url, status.ConfiguredServer);
        Assert.Equal(FleetConfiguredStates.OtherServer, status.ConfiguredState);
        Assert.Equal(0, configured.Connections);
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("fleet:server is " + configured.Url, StringComparison.Ordinal));
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Leave_WithATokenConfigured_EnrolsAgain()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await WaitForAsync(admin, s => s.Connected);

        FleetLeaveResult left = await admin.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true });
        await WaitForAsync(admin, _ => server.EnrolAttempts == 2);
        FleetLinkStatus again = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal("m-1", left.MachineId);
        Assert.Equal(FleetConfiguredStates.Enrolled, again.ConfiguredState);
        Assert.Equal(2, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Leave_AfterARefusal_TriesTheConfiguredEnrolmentOnceMore()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { AcceptedToken = "lfe_not_yet_valid" };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await WaitForAsync(admin, s => s.ConfiguredState == FleetConfiguredStates.Refused);

        // The fleet admin fixes the token on the server's side; the machine's admin asks for another try.
        server.AcceptedToken = Token;
        await admin.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true });
        FleetLinkStatus connected = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal(FleetConfiguredStates.Enrolled, connected.ConfiguredState);
        Assert.Null(connected.ConfiguredRefusal);
        Assert.Equal(2, server.EnrolAttempts);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ManualEnrol_DuringTheConfiguredOne_WaitsForTheEnrolLock()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey()) { EnrollDelay = TimeSpan.FromMilliseconds(700) };
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, Token, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await WaitForAsync(admin, _ => server.EnrolAttempts == 1);

        FleetEnrollResult manual = await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = Token, CaCertificatePem = certificates.CaPem });
        FleetLinkStatus connected = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal("m-1", manual.MachineId);
        Assert.Equal(2, server.EnrolAttempts);
        Assert.Equal(1, server.MaxConcurrentEnrolments);
        Assert.Equal(FleetConfiguredStates.Enrolled, connected.ConfiguredState);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerWithoutToken_IsReportedAsNoToken_AndNothingIsTried()
    {
        using var certificates = new TestCertificates();
        DaemonHarness? holder = null;
        await using var server = new FakeFleetServer(certificates, () => holder?.Identity.PublicKey());
        await using DaemonHarness daemon = holder = new DaemonHarness(fleet: FastOptions(), fleetSettings: Settings(server.Url, null, certificates));
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        await daemon.Fleet.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        FleetLinkStatus status = await admin.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance);

        Assert.Equal(FleetConfiguredStates.NoToken, status.ConfiguredState);
        Assert.Equal(0, server.Connections);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void DefinitiveRefusals_AreTheCodesRetryingCannotChange()
    {
        int[] definitive = [FleetErrorCodes.InvalidToken, FleetErrorCodes.InvalidProof, FleetErrorCodes.MachineRevoked, FleetErrorCodes.UnknownMachine, FleetErrorCodes.AttestationFailed, FleetErrorCodes.PolicyRefused];
        int?[] transient = [null, FleetErrorCodes.NotAuthenticated, FleetErrorCodes.NonceRejected, FleetErrorCodes.ChannelBindingMismatch, FleetErrorCodes.Overloaded, RpcErrorCodes.InternalError, 2999];

        Assert.All(definitive, code => Assert.True(FleetErrors.IsDefinitiveRefusal(code), code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(transient, code => Assert.False(FleetErrors.IsDefinitiveRefusal(code), code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"));
    }

    private static async Task<FleetLinkStatus> WaitForAsync(JsonRpcConnection admin, Func<FleetLinkStatus, bool> condition)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        while (true)
        {
            FleetLinkStatus status = await admin.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance);
            if (condition(status))
            {
                return status;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"The fleet link never reached the expected state; last: enrolled {status.Enrolled}, connected {status.Connected}, configured {status.ConfiguredState}, error {status.LastError}, code {status.LastErrorCode}");
            }

            await Task.Delay(25);
        }
    }
}
