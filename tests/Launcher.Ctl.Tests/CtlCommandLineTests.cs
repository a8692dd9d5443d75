using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Client;
using Launcher.Rpc;

namespace Launcher.Ctl.Tests;

public sealed class CtlCommandLineTests
{
    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("notify", "--title", "t", "--body", "b")]
    [InlineData("notify", "--uid", "501", "--all-users", "--title", "t", "--body", "b")]
    [InlineData("notify", "--uid", "501", "--body", "b")]
    [InlineData("notify", "--uid", "501", "--title", "", "--body", "b")]
    [InlineData("notify", "--uid", "501", "--title", "t", "--body", "b", "--url", "ftp://x")]
    [InlineData("notify", "--uid", "501", "--title", "t", "--body", "b", "--expires-in", "0")]
    [InlineData("notify", "--uid", "-1", "--title", "t", "--body", "b")]
    [InlineData("notify", "--uid", "501", "--title", "t", "--body", "b", "--action", "nolabel")]
    [InlineData("notify", "--uid", "501", "--title", "t", "--body", "b", "--action", "=label")]
    [InlineData("identity", "prove", "--audience", "a")]
    [InlineData("identity", "prove", "--audience", "a", "--nonce", "short")]
    [InlineData("--timeout", "0", "status")]
    [InlineData("--timeout", "soon", "status")]
    public void Run_UsageError_ExitsTwoWithoutConnecting(params string[] args)
    {
        var harness = new CtlHarness(new RpcHandlerTable());

        int exit = harness.Run(args);

        Assert.Equal(CtlExitCodes.Usage, exit);
        Assert.Null(harness.SocketPathSeen);
        Assert.StartsWith("launcherctl: ", harness.Error.ToString());
    }

    [Fact]
    public void Run_IdentityResetWithoutYes_RefusesWithExitTwo()
    {
        var harness = new CtlHarness(new RpcHandlerTable());

        int exit = harness.Run("identity", "reset");

        Assert.Equal(CtlExitCodes.Usage, exit);
        Assert.Contains("--yes", harness.Error.ToString());
        Assert.Null(harness.SocketPathSeen);
    }

    [Fact]
    public void Run_Help_ListsExitCodes()
    {
        var harness = new CtlHarness(new RpcHandlerTable());

        int exit = harness.Run("--help");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("Exit codes: 0 ok; 1 the daemon answered with an error; 2 usage error; 3 cannot connect", harness.Out.ToString());
    }

    [Fact]
    public void Run_SocketAndTimeoutAfterSubcommand_AreHonoured()
    {
        var harness = new CtlHarness(StatusDaemon(Samples.Status()));

        harness.Run("status", "--socket", "/tmp/x/launcherd.sock", "--timeout", "2.5");

        Assert.Equal("/tmp/x/launcherd.sock", harness.SocketPathSeen);
        Assert.Equal(TimeSpan.FromSeconds(2.5), harness.TimeoutSeen);
    }

    [Fact]
    public void Run_Status_PrintsHumanSummary()
    {
        var harness = new CtlHarness(StatusDaemon(Samples.Status("software key")));

        int exit = harness.Run("status");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Contains("identity     tpm, ready", harness.Out.ToString());
        Assert.Contains("! software key", harness.Out.ToString());
    }

    [Fact]
    public void Run_StatusJson_PrintsTheResultObjectIncludingFieldsUnknownToThisBuild()
    {
        var table = new RpcHandlerTable().Add(
            new RpcMethod<EmptyParams, JsonElement>(Methods.DaemonStatus.Name, LauncherJsonContext.Default.EmptyParams, ClientJsonContext.Default.JsonElement),
            (context, request, cancellationToken) => ValueTask.FromResult(JsonDocument.Parse("""{"version":"9.9.9","uptimeSeconds":1,"pid":1,"devMode":false,"agents":[],"connections":1,"pendingNotifications":0,"futureField":{"x":1}}""").RootElement.Clone()));
        var harness = new CtlHarness(table);

        int exit = harness.Run("status", "--json");

        Assert.Equal(CtlExitCodes.Ok, exit);
        using JsonDocument printed = JsonDocument.Parse(harness.Out.ToString());
        Assert.Equal("9.9.9", printed.RootElement.GetProperty("version").GetString());
        Assert.Equal(1, printed.RootElement.GetProperty("futureField").GetProperty("x").GetInt32());
    }

    [Fact]
    public void Run_Notify_SendsParamsAndPrintsTheId()
    {
        SendNotificationParams? received = null;
        var table = new RpcHandlerTable().Add(Methods.NotificationSend, (context, request, cancellationToken) =>
        {
            received = request;
            return ValueTask.FromResult(new SendNotificationResult { Id = "n_42", ExpiresAt = DateTimeOffset.UnixEpoch, DeliveredNow = 1 });
        });
        var harness = new CtlHarness(table);

        int exit = harness.Run("notify", "--uid", "501", "--title", "Hi", "--body", "There", "--url", "https://example.com", "--expires-in", "60");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Equal("n_42\n", harness.Out.ToString());
        Assert.Equal(new SendNotificationParams { Uid = 501, Title = "Hi", Body = "There", Url = "https://example.com", ExpiresInSeconds = 60 }, received);
    }

    [Fact]
    public void Run_NotifyWithActions_SendsThem_AndPrintsWarningsOnStandardError()
    {
        SendNotificationParams? received = null;
        var table = new RpcHandlerTable().Add(Methods.NotificationSend, (context, request, cancellationToken) =>
        {
            received = request;
            return ValueTask.FromResult(new SendNotificationResult { Id = "n_44", ExpiresAt = DateTimeOffset.UnixEpoch, DeliveredNow = 1, Warnings = ["uid 501: the agent cannot show actions, so no action can be chosen (presenter system)."] });
        });
        var harness = new CtlHarness(table);

        int exit = harness.Run("notify", "--uid", "501", "--title", "Hi", "--body", "b", "--action", "approve=Approve it", "--action", "deny=Deny");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Equal("n_44\n", harness.Out.ToString());
        Assert.Equal(["approve", "deny"], received!.Actions!.Select(a => a.Id));
        Assert.Equal(["Approve it", "Deny"], received.Actions!.Select(a => a.Label));
        Assert.Contains("launcherctl: warning: uid 501: the agent cannot show actions", harness.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NotifyAllUsers_SendsAllUsersWithoutUid()
    {
        SendNotificationParams? received = null;
        var table = new RpcHandlerTable().Add(Methods.NotificationSend, (context, request, cancellationToken) =>
        {
            received = request;
            return ValueTask.FromResult(new SendNotificationResult { Id = "n_43", ExpiresAt = DateTimeOffset.UnixEpoch, DeliveredNow = 0 });
        });
        var harness = new CtlHarness(table);

        harness.Run("notify", "--all-users", "--title", "Hi", "--body", "");

        Assert.True(received!.AllUsers);
        Assert.Null(received.Uid);
    }

    [Fact]
    public void Run_IdentityProve_PrintsTheJwsAloneNewlineTerminated()
    {
        var table = new RpcHandlerTable().Add(Methods.IdentityProve, (context, request, cancellationToken) =>
            ValueTask.FromResult(new ProveResult { Jws = $"h.{request.Audience}.{request.Nonce}", KeyClass = "tpm", ExpiresAt = DateTimeOffset.UnixEpoch }));
        var harness = new CtlHarness(table);

        int exit = harness.Run("identity", "prove", "--audience", "aud", "--nonce", "nonce-123");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.Equal("h.aud.nonce-123\n", harness.Out.ToString());
    }

    [Fact]
    public void Run_IdentityShowJson_PrintsTheIdentityObject()
    {
        var table = new RpcHandlerTable().Add(Methods.IdentityGet, (context, request, cancellationToken) => ValueTask.FromResult(Samples.Identity()));
        var harness = new CtlHarness(table);

        int exit = harness.Run("identity", "show", "--json");

        Assert.Equal(CtlExitCodes.Ok, exit);
        IdentityResult? printed = JsonSerializer.Deserialize(harness.Out.ToString(), LauncherJsonContext.Default.IdentityResult);
        Assert.Equal(Samples.Identity().PublicKeySpki, printed!.PublicKeySpki);
        Assert.Contains("+abc", harness.Out.ToString());
    }

    [Fact]
    public void Run_IdentityResetWithYes_SendsConfirmAndPrintsNewIdentity()
    {
        ResetIdentityParams? received = null;
        var table = new RpcHandlerTable().Add(Methods.IdentityReset, (context, request, cancellationToken) =>
        {
            received = request;
            return ValueTask.FromResult(Samples.Identity());
        });
        var harness = new CtlHarness(table);

        int exit = harness.Run("identity", "reset", "--yes");

        Assert.Equal(CtlExitCodes.Ok, exit);
        Assert.True(received!.Confirm);
        Assert.Contains("thumbprint   thumb", harness.Out.ToString());
    }

    [Fact]
    public void Run_DaemonDeniesAccess_ExitsFourWithSudoAdvice()
    {
        var table = new RpcHandlerTable().Add(Methods.IdentityProve, (context, request, cancellationToken) =>
            throw new RpcException(ErrorCodes.AccessDenied, "Access denied: identity/prove requires an admin (root)."));
        var harness = new CtlHarness(table);

        int exit = harness.Run("identity", "prove", "--audience", "aud", "--nonce", "nonce-123");

        Assert.Equal(CtlExitCodes.AccessDenied, exit);
        Assert.Equal("launcherctl: Access denied: identity/prove requires an admin (root). (code 1001): run as root (sudo).\n", harness.Error.ToString());
        Assert.Empty(harness.Out.ToString());
    }

    [Fact]
    public void Run_DaemonAnswersError_ExitsOneWithMessageAndCode()
    {
        var table = new RpcHandlerTable().Add(Methods.IdentityGet, (context, request, cancellationToken) =>
            throw new RpcException(ErrorCodes.IdentityUnavailable, "The machine identity is lost."));
        var harness = new CtlHarness(table);

        int exit = harness.Run("identity", "show");

        Assert.Equal(CtlExitCodes.DaemonError, exit);
        Assert.Equal("launcherctl: The machine identity is lost. (code 1003)\n", harness.Error.ToString());
    }

    [Fact]
    public void Run_NoDaemon_ExitsThree()
    {
        var harness = new CtlHarness(new DaemonConnectException(DaemonConnectFailure.SocketMissing, "/run/launcher/launcherd.sock", "No daemon socket at /run/launcher/launcherd.sock."));

        int exit = harness.Run("status");

        Assert.Equal(CtlExitCodes.CannotConnect, exit);
        Assert.StartsWith("launcherctl: cannot connect to launcherd: No daemon socket", harness.Error.ToString());
    }

    [Fact(Timeout = 10000)]
    public async Task Run_DaemonNeverAnswers_ExitsFiveAfterTimeout()
    {
        var hang = new TaskCompletionSource<StatusResult>();
        var table = new RpcHandlerTable().Add(Methods.DaemonStatus, (context, request, cancellationToken) => new ValueTask<StatusResult>(hang.Task));
        var harness = new CtlHarness(table);

        int exit = await Task.Run(() => harness.Run("--timeout", "0.2", "status"));

        Assert.Equal(CtlExitCodes.Timeout, exit);
        Assert.StartsWith("launcherctl: timeout:", harness.Error.ToString());
    }

    private static RpcHandlerTable StatusDaemon(StatusResult status) =>
        new RpcHandlerTable().Add(Methods.DaemonStatus, (context, request, cancellationToken) => ValueTask.FromResult(status));
}
