using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Notifications;

/// <summary>Send, deliver, ack through the real dispatcher with agents of two uids.</summary>
public sealed class NotificationFlowTests
{
    [Fact(Timeout = 20000)]
    public async Task Send_ToOneUid_ReachesOnlyThatUidsAgents()
    {
        await using var daemon = new DaemonHarness();
        (JsonRpcConnection alice, ChannelReader<ShowNotificationParams> aliceInbox) = await RegisterAgentAsync(daemon, 1000);
        (_, ChannelReader<ShowNotificationParams> bobInbox) = await RegisterAgentAsync(daemon, 2000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "Hello", Body = "World" });

        ShowNotificationParams shown = await aliceInbox.ReadAsync();
        Assert.Equal(sent.Id, shown.Id);
        Assert.Equal("Hello", shown.Title);
        Assert.Equal(1, sent.DeliveredNow);
        AckNotificationResult ack = await alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Shown });
        Assert.False(ack.AlreadyAcknowledged);
        Assert.False(bobInbox.TryRead(out _));
    }

    [Fact(Timeout = 20000)]
    public async Task Status_PendingCount_IsExactRightAfterSendAndAck()
    {
        await using var daemon = new DaemonHarness();
        (JsonRpcConnection alice, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        Assert.Equal(0, (await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance)).PendingNotifications);

        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b" });
        int afterSend = (await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance)).PendingNotifications;
        await inbox.ReadAsync();
        await alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Shown });
        int afterAck = (await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance)).PendingNotifications;

        Assert.Equal(1, afterSend);
        Assert.Equal(0, afterAck);
    }

    [Fact(Timeout = 20000)]
    public async Task Ack_OfAnotherUsersNotification_IsNotFound()
    {
        await using var daemon = new DaemonHarness();
        await RegisterAgentAsync(daemon, 1000);
        (JsonRpcConnection bob, _) = await RegisterAgentAsync(daemon, 2000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "For alice", Body = "only" });

        RpcException denied = await Assert.ThrowsAsync<RpcException>(() => bob.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Shown }));

        Assert.Equal(ErrorCodes.NotFound, denied.Code);
        Assert.Null(daemon.Store.OutcomeFor(sent.Id, 1000));
    }

    [Fact(Timeout = 20000)]
    public async Task Register_AfterSend_DeliversWhatIsPending()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { AllUsers = true, Title = "Later", Body = "b" });

        (_, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);

        Assert.Equal(0, sent.DeliveredNow);
        Assert.Equal(sent.Id, (await inbox.ReadAsync()).Id);
    }

    [Fact(Timeout = 20000)]
    public async Task Register_ClaimingAnotherUid_IsDenied()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection mallory = daemon.Connect(DaemonHarness.User(2000));

        RpcException denied = await Assert.ThrowsAsync<RpcException>(() => mallory.InvokeAsync(Methods.AgentRegister, new RegisterParams { Uid = 1000, AgentVersion = "x" }));

        Assert.Equal(ErrorCodes.AccessDenied, denied.Code);
        Assert.Empty(daemon.Sessions.Agents(1000));
        Assert.Empty(daemon.Sessions.Agents(2000));
    }

    [Theory(Timeout = 20000)]
    [InlineData("{\"uid\":1000,\"allUsers\":true,\"title\":\"t\",\"body\":\"b\"}")]
    [InlineData("{\"title\":\"t\",\"body\":\"b\"}")]
    [InlineData("{\"uid\":1000,\"title\":\"\",\"body\":\"b\"}")]
    [InlineData("{\"uid\":1000,\"title\":\"t\",\"body\":\"b\",\"url\":\"file:///etc/passwd\"}")]
    [InlineData("{\"uid\":1000,\"title\":\"t\",\"body\":\"b\",\"expiresInSeconds\":0}")]
    [InlineData("{\"uid\":-1,\"title\":\"t\",\"body\":\"b\"}")]
    public async Task Send_WithInvalidParams_IsRejectedAndNothingIsStored(string json)
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        var raw = new RpcMethod<System.Text.Json.JsonElement, SendNotificationResult>(
            "notification/send", TestJson.Default.JsonElement, LauncherJsonContext.Default.SendNotificationResult);

        RpcException rejected = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(raw, System.Text.Json.JsonDocument.Parse(json).RootElement));

        Assert.Equal(RpcErrorCodes.InvalidParams, rejected.Code);
        Assert.DoesNotContain("System.", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Store.PendingCount(DateTimeOffset.UtcNow));
    }

    [Fact(Timeout = 20000)]
    public async Task Send_WithUrlAndActions_WarnsForAgentsThatCannotHonourThem()
    {
        await using var daemon = new DaemonHarness();
        await RegisterAgentAsync(daemon, 1000, new PresenterCapabilities { Clicks = true, Actions = true, TruthfulDelivery = true });
        await RegisterAgentAsync(daemon, 2000, capabilities: null, presenter: "system");
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams
        {
            AllUsers = true,
            Title = "t",
            Body = "b",
            Url = "https://example.com/",
            Actions = [new NotificationAction { Id = "ok", Label = "OK" }],
        });
        SendNotificationResult plain = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { AllUsers = true, Title = "t", Body = "b" });

        Assert.Equal(2, sent.Warnings.Count);
        Assert.All(sent.Warnings, w => Assert.StartsWith("uid 2000: the agent ", w, StringComparison.Ordinal));
        Assert.Contains(sent.Warnings, w => w.Contains("URL", StringComparison.Ordinal) && w.Contains("presenter system", StringComparison.Ordinal));
        Assert.Contains(sent.Warnings, w => w.Contains("cannot show actions", StringComparison.Ordinal));
        Assert.Empty(plain.Warnings);
    }

    [Fact(Timeout = 20000)]
    public async Task Status_ShowsEachAgentsPresenterAndCapabilities()
    {
        await using var daemon = new DaemonHarness();
        await RegisterAgentAsync(daemon, 1000, new PresenterCapabilities { Clicks = true, Actions = true, TruthfulDelivery = true }, "system");
        await RegisterAgentAsync(daemon, 1000, capabilities: null, presenter: "stdout");
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        StatusResult status = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);

        AgentCount alice = Assert.Single(status.Agents);
        Assert.Equal(2, alice.Presenters.Count);
        Assert.Contains(alice.Presenters, p => p.Presenter == "system" && p.Capabilities.Clicks && p.Capabilities.Actions && p.Capabilities.TruthfulDelivery);
        Assert.Contains(alice.Presenters, p => p.Presenter == "stdout" && p.Capabilities == PresenterCapabilities.None);
    }

    [Fact(Timeout = 20000)]
    public async Task Ack_ShownThenClickedWithAction_IsRecordedAsTheClick()
    {
        await using var daemon = new DaemonHarness();
        (JsonRpcConnection alice, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b", Actions = [new NotificationAction { Id = "ok", Label = "OK" }] });
        await inbox.ReadAsync();

        AckNotificationResult shown = await alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Shown });
        AckNotificationResult clicked = await alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Clicked, ActionId = "ok" });
        AckNotificationResult late = await alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Shown });

        Assert.False(shown.AlreadyAcknowledged);
        Assert.False(clicked.AlreadyAcknowledged);
        Assert.True(late.AlreadyAcknowledged);
        Assert.Equal(NotificationOutcomes.Clicked, daemon.Store.OutcomeFor(sent.Id, 1000));
        Assert.Equal("ok", daemon.Store.ActionFor(sent.Id, 1000));
    }

    [Fact(Timeout = 20000)]
    public async Task Ack_ActionIdWithoutClicked_IsInvalidParams()
    {
        await using var daemon = new DaemonHarness();
        (JsonRpcConnection alice, ChannelReader<ShowNotificationParams> inbox) = await RegisterAgentAsync(daemon, 1000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b" });
        await inbox.ReadAsync();

        RpcException invalid = await Assert.ThrowsAsync<RpcException>(() => alice.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = sent.Id, Outcome = NotificationOutcomes.Dismissed, ActionId = "ok" }));

        Assert.Equal(RpcErrorCodes.InvalidParams, invalid.Code);
        Assert.Contains("actionId", invalid.Message, StringComparison.Ordinal);
    }

    private static async Task<(JsonRpcConnection Agent, ChannelReader<ShowNotificationParams> Inbox)> RegisterAgentAsync(DaemonHarness daemon, uint uid, PresenterCapabilities? capabilities = null, string? presenter = null)
    {
        var inbox = Channel.CreateUnbounded<ShowNotificationParams>();
        RpcHandlerTable handlers = new RpcHandlerTable().AddNotification(Methods.NotificationShow, (_, show, _) =>
        {
            inbox.Writer.TryWrite(show);
            return ValueTask.CompletedTask;
        });
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(uid), handlers);
        RegisterResult result = await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test", Capabilities = capabilities, Presenter = presenter });
        Assert.Equal(uid, result.Uid);
        return (agent, inbox.Reader);
    }
}
