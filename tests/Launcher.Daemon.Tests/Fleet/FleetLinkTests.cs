using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Daemon.Fleet;
using Launcher.Rpc;
using Microsoft.Extensions.Time.Testing;

namespace Launcher.Daemon.Tests.Fleet;

/// <summary>
/// The daemon's fleet link against the in-test fleet server over real TLS WebSockets on loopback: enrolment,
/// authentication with cb, calls from the server, the durable outcome queue, renewal, and a server that is down,
/// busy, untrusted or broken. The end-to-end tests against launcher-fleet are in Launcher.IntegrationTests.
/// </summary>
public sealed class FleetLinkTests
{
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

    [Fact(Timeout = 30000)]
    public async Task Enroll_StoresStatePrivately_ThenTheLinkAuthenticatesWithCb()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetEnrollResult enrolled = await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url + "/", Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        FleetLinkStatus status = await WaitForAsync(admin, s => s.Connected);

        Assert.Equal("m-1", enrolled.MachineId);
        Assert.Equal("spiffe://test.example/machine/m-1", enrolled.SpiffeId);
        Assert.Equal(["fleet:member"], enrolled.Grants);
        Assert.Equal(server.Url, status.Server);
        Assert.True(status.CaPinned);
        Assert.Null(status.LastError);
        Assert.All(server.ChannelBindings, cb => Assert.Equal(server.ExpectedChannelBinding, cb));
        Assert.Equal(2, server.ChannelBindings.Count);
        foreach (string file in new[] { FleetStateStore.StateFile, FleetStateStore.CaFile, FleetStateStore.CertificateFile })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(daemon.Directory.File(file)));
        }

        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
        Assert.Equal("m-1", identity.MachineId);
        ProveResult local = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "https://relying.example", Nonce = "local-nonce-1" });
        Assert.True(ProofReader.TryVerify(local.Jws, daemon.Identity.PublicKey()!, out _, out ProofClaims? localClaims));
        Assert.Equal("m-1", localClaims!.MachineId);
        StatusResult daemonStatus = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
        Assert.True(daemonStatus.Fleet!.Connected);
        Assert.Equal("m-1", daemonStatus.Fleet.MachineId);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Enroll_WithABadToken_SurfacesTheServersCode()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        var error = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_wrong", CaCertificatePem = certificates.CaPem }));

        Assert.Equal(FleetErrorCodes.InvalidToken, error.Code);
        Assert.Contains("InvalidToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lfe_wrong", error.Message, StringComparison.Ordinal);
        Assert.False((await admin.InvokeAsync(Methods.FleetStatus, EmptyParams.Instance)).Enrolled);
        Assert.False(File.Exists(daemon.Directory.File(FleetStateStore.StateFile)));
    }

    [Fact(Timeout = 30000)]
    public async Task Enroll_WithAServerNotChainingToThePinnedCa_IsRefusedClearly()
    {
        using var certificates = new TestCertificates();
        using var otherCa = new TestCertificates("Another CA");
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        var pinnedOther = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = otherCa.CaPem }));
        var systemTrust = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good" }));

        Assert.Equal(ErrorCodes.FleetUnreachable, pinnedOther.Code);
        Assert.Contains("does not chain to the pinned fleet CA", pinnedOther.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.FleetUnreachable, systemTrust.Code);
        Assert.Contains("not trusted by the system", systemTrust.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(daemon.Directory.File(FleetStateStore.StateFile)));
    }

    [Fact(Timeout = 30000)]
    public async Task Link_WhenThePinnedCaNoLongerMatches_RecordsTheTlsRefusal()
    {
        using var certificates = new TestCertificates();
        using var otherCa = new TestCertificates("Another CA");
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        // Someone else's CA in place of the pinned one: the server no longer chains to it.
        File.WriteAllText(daemon.Directory.File(FleetStateStore.CaFile), otherCa.CaPem);
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetLinkStatus status = await WaitForAsync(admin, s => s.LastError is not null);

        Assert.False(status.Connected);
        Assert.Contains("does not chain to the pinned fleet CA", status.LastError, StringComparison.Ordinal);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerDown_TheLinkRetriesWithBackoff_AndTheLocalApiKeepsServing()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        int port;
        await using (var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey))
        {
            await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
            port = server.Port;
        }

        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetLinkStatus down = await WaitForAsync(admin, s => s.LastError is not null && s.NextAttemptAt is not null);
        SendNotificationResult local = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "still", Body = "here" });
        StatusResult status = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);

        Assert.False(down.Connected);
        Assert.Contains("Cannot reach the fleet server", down.LastError, StringComparison.Ordinal);
        Assert.StartsWith("n_", local.Id, StringComparison.Ordinal);
        Assert.False(status.Fleet!.Connected);
        Assert.Equal(1, status.PendingNotifications);
        Assert.Contains($"127.0.0.1:{port}", down.LastError, StringComparison.Ordinal);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerBusy_Http503_RetryAfterIsHonoured()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        server.Behaviour = FakeFleetBehaviour.Busy;
        server.RetryAfterSeconds = 120;
        DateTimeOffset before = DateTimeOffset.UtcNow;
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetLinkStatus status = await WaitForAsync(admin, s => s.NextAttemptAt is not null);

        Assert.Contains("busy (HTTP 503)", status.LastError, StringComparison.Ordinal);
        Assert.True(status.NextAttemptAt >= before.AddSeconds(120), $"next attempt {status.NextAttemptAt:o} is before the server's Retry-After");
        int connections = server.Connections;
        await Task.Delay(500);
        Assert.Equal(connections, server.Connections);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerOverloaded_RetryAfterSecondsFromTheErrorIsHonoured()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        server.Behaviour = FakeFleetBehaviour.RefuseAuthenticate;
        server.AuthenticateError = new RpcException(FleetErrorCodes.Overloaded, "Try again later.", System.Text.Json.JsonDocument.Parse("{\"retryAfterSeconds\":300}").RootElement.Clone());
        DateTimeOffset before = DateTimeOffset.UtcNow;
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetLinkStatus status = await WaitForAsync(admin, s => s.NextAttemptAt is not null);

        Assert.Equal(FleetErrorCodes.Overloaded, status.LastErrorCode);
        Assert.Contains("Overloaded", status.LastError, StringComparison.Ordinal);
        Assert.True(status.NextAttemptAt >= before.AddSeconds(300));
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerRefusal_CodeAndMessageAppearInFleetStatus()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        server.Behaviour = FakeFleetBehaviour.RefuseAuthenticate;
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetLinkStatus status = await WaitForAsync(admin, s => s.LastErrorCode is not null);

        Assert.Equal(FleetErrorCodes.MachineRevoked, status.LastErrorCode);
        Assert.Contains("The machine is revoked. (MachineRevoked, code 2006)", status.LastError, StringComparison.Ordinal);
        Assert.True(status.Enrolled);
        Assert.False(status.Connected);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Theory(Timeout = 30000)]
    [InlineData(FakeFleetBehaviour.Garbage, "not a JSON object")]
    [InlineData(FakeFleetBehaviour.Huge, "over the limit")]
    [InlineData(FakeFleetBehaviour.WrongTypes, "outside the protocol")]
    public async Task ServerAnsweringGarbage_IsDroppedAndRetried_WithoutACrash(FakeFleetBehaviour behaviour, string expected)
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        server.Behaviour = behaviour;
        int before = server.Connections;
        await daemon.Fleet.StartAsync(CancellationToken.None);

        FleetLinkStatus status = await WaitForAsync(admin, s => s.LastError is not null && server.Connections >= before + 3);
        server.Behaviour = FakeFleetBehaviour.Normal;
        FleetLinkStatus recovered = await WaitForAsync(admin, s => s.Connected);

        Assert.Contains(expected, status.LastError, StringComparison.Ordinal);
        Assert.True(recovered.Connected);
        Assert.True((await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance)).State == IdentityStates.Ready);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task NotificationFromTheServer_ReachesTheAgent_AndItsOutcomeGoesBack()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        (JsonRpcConnection agent, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);
        JsonRpcConnection toDaemon = server.Authenticated!;

        var push = new FleetNotificationParams { Id = "srv-42", Uid = 1000, Title = "From the fleet", Body = "Hello" };
        FleetNotificationResult accepted = await toDaemon.InvokeAsync(FleetMethods.NotificationSend, push);
        FleetNotificationResult again = await toDaemon.InvokeAsync(FleetMethods.NotificationSend, push);
        ShowNotificationParams shown = await inbox.ReadAsync().AsTask().WaitAsync(s_wait);
        await agent.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = shown.Id, Outcome = NotificationOutcomes.Clicked });
        OutcomeParams outcome = await WaitForOutcomeAsync(server);

        Assert.True(accepted.Accepted);
        Assert.True(again.Accepted);
        Assert.Equal("From the fleet", shown.Title);
        Assert.Equal("srv-42", outcome.Id);
        Assert.Equal(1000u, outcome.Uid);
        Assert.Equal(NotificationOutcomes.Clicked, outcome.Outcome);
        await Task.Delay(200);
        Assert.False(inbox.TryRead(out _), "a repeated server id must not show twice");
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task ServerCalls_MachineFactsAndIdentityProve_AnswerForAnAuthenticatedServer()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);
        JsonRpcConnection toDaemon = server.Authenticated!;

        FleetFacts facts = await toDaemon.InvokeAsync(FleetMethods.MachineFacts, EmptyParams.Instance);
        FleetProveResult proof = await toDaemon.InvokeAsync(FleetMethods.IdentityProve, new ProveParams { Audience = "https://relying.example", Nonce = "relying-nonce-1" });
        var invalid = await Assert.ThrowsAsync<RpcException>(() => toDaemon.InvokeAsync(FleetMethods.IdentityProve, new ProveParams { Audience = "", Nonce = "x" }));

        Assert.Equal(Environment.MachineName, facts.Hostname);
        Assert.True(ProofReader.TryVerify(proof.Proof, daemon.Identity.PublicKey()!, out _, out ProofClaims? claims));
        Assert.Equal("https://relying.example", claims!.Audience);
        Assert.Equal("relying-nonce-1", claims.Nonce);
        Assert.Equal("m-1", claims.MachineId);
        Assert.Null(claims.TlsCertificateSha256);
        Assert.Equal(RpcErrorCodes.InvalidParams, invalid.Code);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Outcome_RecordedWhileTheServerIsDown_ArrivesAfterReconnect()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        (JsonRpcConnection agent, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);
        await server.Authenticated!.InvokeAsync(FleetMethods.NotificationSend, new FleetNotificationParams { Id = "srv-7", Uid = 1000, Title = "t", Body = "b" });
        ShowNotificationParams shown = await inbox.ReadAsync().AsTask().WaitAsync(s_wait);

        // The server refuses outcomes for now (busy), then the connection drops: the outcome must wait, not vanish.
        server.RefuseOutcomesWith = FleetErrorCodes.Overloaded;
        await agent.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = shown.Id, Outcome = NotificationOutcomes.Dismissed });
        await WaitForAsync(admin, s => !s.Connected || s.PendingOutcomes == 1);
        Assert.Equal(1, daemon.Store.PendingOutcomeCount());
        server.RefuseOutcomesWith = null;
        OutcomeParams outcome = await WaitForOutcomeAsync(server);

        Assert.Equal("srv-7", outcome.Id);
        Assert.Equal(NotificationOutcomes.Dismissed, outcome.Outcome);
        await WaitForAsync(admin, s => s.PendingOutcomes == 0);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Certificate_IsRenewedOverTheLink_AfterHalfItsLifetime()
    {
        using var certificates = new TestCertificates();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = new DaemonHarness(fleet: FastOptions(), fleetTime: time);
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey, time);
        server.CertificateLifetime = TimeSpan.FromHours(2);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetEnrollResult enrolled = await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);
        string before = File.ReadAllText(daemon.Directory.File(FleetStateStore.CertificateFile));
        Assert.Equal(0, server.Renewals);

        // Step the clock past renewAfter (1 h of a 2 h certificate) in small steps: the renewal timer fires on the way.
        DateTimeOffset renewAfter = enrolled.RenewAfter;
        FleetLinkStatus renewed = await WaitForAsync(admin, s =>
        {
            time.Advance(TimeSpan.FromMinutes(5));
            return s.RenewAfter > renewAfter;
        });

        Assert.True(server.Renewals >= 1);
        Assert.True(renewed.CertificateNotAfter > enrolled.CertificateNotAfter);
        Assert.NotEqual(before, File.ReadAllText(daemon.Directory.File(FleetStateStore.CertificateFile)));
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Certificate_IsRenewedOnReconnect_WhenItsRenewalTimePassedWhileDisconnected()
    {
        using var certificates = new TestCertificates();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var daemon = new DaemonHarness(fleet: FastOptions(), fleetTime: time);
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey, time);
        server.CertificateLifetime = TimeSpan.FromHours(2);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        FleetEnrollResult enrolled = await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);

        // The connection drops; while the machine is away its renewal time passes; the server's authenticate then
        // hands back the old certificate, so the daemon must renew by itself.
        server.AuthenticateKeepsCertificate = true;
        server.Authenticated!.Close("server restart");
        await WaitForAsync(admin, s => !s.Connected);
        time.Advance(TimeSpan.FromMinutes(61));
        FleetLinkStatus renewed = await WaitForAsync(admin, s =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return s.Connected && s.RenewAfter > enrolled.RenewAfter;
        });

        Assert.True(server.Renewals >= 1);
        Assert.True(renewed.CertificateNotAfter > enrolled.CertificateNotAfter);
        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Leave_ForgetsTheServerAndDisconnects()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await daemon.Fleet.StartAsync(CancellationToken.None);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });
        await WaitForAsync(admin, s => s.Connected);

        FleetLeaveResult left = await admin.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true });
        FleetLinkStatus status = await WaitForAsync(admin, s => !s.Connected);
        FleetLeaveResult again = await admin.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = true });
        var unconfirmed = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.FleetLeave, new FleetLeaveParams { Confirm = false }));

        Assert.Equal(server.Url, left.Server);
        Assert.Equal("m-1", left.MachineId);
        Assert.False(status.Enrolled);
        Assert.Null(again.Server);
        Assert.Equal(RpcErrorCodes.InvalidParams, unconfirmed.Code);
        foreach (string file in new[] { FleetStateStore.StateFile, FleetStateStore.CaFile, FleetStateStore.CertificateFile })
        {
            Assert.False(File.Exists(daemon.Directory.File(file)), file);
        }

        await daemon.Fleet.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = 30000)]
    public async Task Enroll_WithAnotherServerWhileEnrolled_IsAConflict()
    {
        using var certificates = new TestCertificates();
        await using var daemon = new DaemonHarness(fleet: FastOptions());
        await using var server = new FakeFleetServer(certificates, daemon.Identity.PublicKey);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        await admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = server.Url, Token = "lfe_good", CaCertificatePem = certificates.CaPem });

        var error = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.FleetEnroll, new FleetEnrollParams { Server = "https://other.example", Token = "lfe_good" }));

        Assert.Equal(ErrorCodes.Conflict, error.Code);
        Assert.Contains("fleet leave", error.Message, StringComparison.Ordinal);
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
                Assert.Fail($"The fleet link never reached the expected state; last: connected {status.Connected}, error {status.LastError}, code {status.LastErrorCode}");
            }

            await Task.Delay(25);
        }
    }

    private static async Task<OutcomeParams> WaitForOutcomeAsync(FakeFleetServer server)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        OutcomeParams? outcome;
        while (!server.Outcomes.TryDequeue(out outcome))
        {
            await Task.Delay(25, timeout.Token);
        }

        return outcome;
    }

    private static async Task<(JsonRpcConnection Agent, ChannelReader<ShowNotificationParams> Inbox)> RegisterAgentAsync(DaemonHarness daemon, uint uid)
    {
        var inbox = Channel.CreateUnbounded<ShowNotificationParams>();
        RpcHandlerTable handlers = new RpcHandlerTable().AddNotification(Methods.NotificationShow, (_, show, _) =>
        {
            inbox.Writer.TryWrite(show);
            return ValueTask.CompletedTask;
        });
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(uid), handlers);
        await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
        return (agent, inbox.Reader);
    }
}
