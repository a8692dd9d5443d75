using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.FleetLink;
using Launcher.Rpc;

namespace Launcher.Ctl.Tests;

/// <summary><c>launcherctl fleet enroll|status|leave</c> against an in-memory daemon.</summary>
public sealed class FleetCommandsTests
{
    private static readonly DateTimeOffset s_notAfter = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("fleet", "enroll", "--token", "t")]
    [InlineData("fleet", "enroll", "--server", "https://fleet.example")]
    [InlineData("fleet", "enroll", "--server", "http://fleet.example", "--token", "t")]
    [InlineData("fleet", "enroll", "--server", "https://fleet.example", "--token", "t", "--ca-file", "/nonexistent/ca.pem")]
    [InlineData("fleet", "leave")]
    public void Fleet_UsageError_ExitsTwoWithoutConnecting(params string[] args)
    {
        var harness = new CtlHarness(new RpcHandlerTable());

        int exit = harness.Run(args);

        Assert.Equal(CtlExitCodes.Usage, exit);
        Assert.Null(harness.SocketPathSeen);
        Assert.StartsWith("launcherctl: ", harness.Error.ToString());
    }

    [Fact(Timeout = 10000)]
    public async Task Enroll_SendsTheCaPem_AndPrintsMachineAndSpiffeIds()
    {
        string ca = Path.Combine(Path.GetTempPath(), "ctl-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        FleetEnrollParams? seen = null;
        var daemon = new RpcHandlerTable().Add(Methods.FleetEnroll, (_, request, _) =>
        {
            seen = request;
            return ValueTask.FromResult(new FleetEnrollResult { Server = "https://fleet.example", MachineId = "m-9", SpiffeId = "spiffe://fleet.example/machine/m-9", CertificateNotAfter = s_notAfter, RenewAfter = s_notAfter.AddHours(-12), Grants = ["ssh"] });
        });
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "enroll", "--server", "https://fleet.example", "--token", "lfe_x", "--ca-file", ca);
        File.Delete(ca);

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("-----BEGIN CERTIFICATE-----", seen!.CaCertificatePem, StringComparison.Ordinal);
        Assert.Equal("lfe_x", seen.Token);
        string output = harness.Out.ToString();
        Assert.Contains("m-9", output, StringComparison.Ordinal);
        Assert.Contains("spiffe://fleet.example/machine/m-9", output, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 12:00:00 UTC", output, StringComparison.Ordinal);
        Assert.Contains("ssh", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Enroll_TheServersRefusal_ExitsOneWithItsNameAndCode()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetEnroll, (_, _, _) =>
            throw new RpcException(FleetErrorCodes.InvalidToken, "The fleet server refused the enrolment: the token is not valid (InvalidToken, code 2002)."));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "enroll", "--server", "https://fleet.example", "--token", "lfe_x");

        Assert.Equal(CtlExitCodes.DaemonError, exit);
        Assert.Contains("InvalidToken", harness.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("code 2002", harness.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_Disconnected_ShowsTheLastErrorWithItsCode()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetStatus, (_, _, _) => ValueTask.FromResult(new FleetLinkStatus
        {
            Enrolled = true,
            Connected = false,
            Server = "https://fleet.example",
            MachineId = "m-9",
            SpiffeId = "spiffe://fleet.example/machine/m-9",
            CaPinned = true,
            CertificateNotAfter = DateTimeOffset.UtcNow.AddHours(10),
            RenewAfter = DateTimeOffset.UtcNow.AddHours(-1),
            Since = DateTimeOffset.UtcNow.AddMinutes(-3),
            LastError = "The fleet server refused the authentication: The machine is revoked. (MachineRevoked, code 2006).",
            LastErrorCode = FleetErrorCodes.MachineRevoked,
            NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(2),
            PendingOutcomes = 3,
        }));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "status");

        Assert.Equal(CtlExitCodes.Ok, exit);
        string output = harness.Out.ToString();
        Assert.Contains("not connected to https://fleet.example for 3m", output, StringComparison.Ordinal);
        Assert.Contains("MachineRevoked", output, StringComparison.Ordinal);
        Assert.Contains("[code 2006]", output, StringComparison.Ordinal);
        Assert.Contains("(pinned CA)", output, StringComparison.Ordinal);
        Assert.Contains("3 waiting for the server", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_ConfiguredEnrolmentRefused_SaysSoAndWhy()
    {
        const string Reason = "The fleet server refused the enrolment: The enrolment token is unknown, expired, used up or revoked. (InvalidToken, code 2002).";
        var daemon = new RpcHandlerTable().Add(Methods.FleetStatus, (_, _, _) => ValueTask.FromResult(new FleetLinkStatus
        {
            Enrolled = false,
            Connected = false,
            LastError = Reason,
            LastErrorCode = FleetErrorCodes.InvalidToken,
            ConfiguredServer = "https://fleet.example",
            ConfiguredState = FleetConfiguredStates.Refused,
            ConfiguredRefusal = Reason,
        }));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "status");

        Assert.Equal(CtlExitCodes.Ok, exit);
        string output = harness.Out.ToString();
        Assert.Contains("not enrolled: the configured enrolment was refused by https://fleet.example", output, StringComparison.Ordinal);
        Assert.Contains("InvalidToken", output, StringComparison.Ordinal);
        Assert.Contains("[code 2002]", output, StringComparison.Ordinal);
        Assert.Contains("fleet:enrolmentToken", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_ConfiguredEnrolling_ShowsTheServerTheLastTryAndTheNextOne()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetStatus, (_, _, _) => ValueTask.FromResult(new FleetLinkStatus
        {
            Enrolled = false,
            Connected = false,
            LastError = "The connection to https://fleet.example failed: Connection refused",
            NextAttemptAt = DateTimeOffset.UtcNow.AddSeconds(30),
            ConfiguredServer = "https://fleet.example",
            ConfiguredState = FleetConfiguredStates.Enrolling,
        }));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "status");

        Assert.Equal(CtlExitCodes.Ok, exit);
        string output = harness.Out.ToString();
        Assert.Contains("not enrolled yet: enrolling with https://fleet.example as configured", output, StringComparison.Ordinal);
        Assert.Contains("Connection refused", output, StringComparison.Ordinal);
        Assert.Contains("next try", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_EnrolledWithAnotherServerThanConfigured_SaysSo()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetStatus, (_, _, _) => ValueTask.FromResult(new FleetLinkStatus
        {
            Enrolled = true,
            Connected = true,
            Server = "https://old.example",
            MachineId = "m-9",
            ConfiguredServer = "https://new.example",
            ConfiguredState = FleetConfiguredStates.OtherServer,
        }));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "status");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("fleet:server is https://new.example, not https://old.example", harness.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_Json_IsTheDaemonsObject()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetStatus, (_, _, _) => ValueTask.FromResult(new FleetLinkStatus { Enrolled = false, Connected = false }));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "status", "--json");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("\"enrolled\": false", harness.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Leave_WithYes_SaysWhatWasForgotten()
    {
        var daemon = new RpcHandlerTable().Add(Methods.FleetLeave, (_, request, _) =>
            ValueTask.FromResult(request.Confirm ? new FleetLeaveResult { Server = "https://fleet.example", MachineId = "m-9" } : new FleetLeaveResult()));
        var harness = new CtlHarness(daemon);

        int exit = harness.Run("fleet", "leave", "--yes");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("Left https://fleet.example (machine m-9)", harness.Out.ToString(), StringComparison.Ordinal);
    }
}
