using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
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

    private static async Task<(JsonRpcConnection Agent, ChannelReader<ShowNotificationParams> Inbox)> RegisterAgentAsync(DaemonHarness daemon, uint uid)
    {
        var inbox = Channel.CreateUnbounded<ShowNotificationParams>();
        RpcHandlerTable handlers = new RpcHandlerTable().AddNotification(Methods.NotificationShow, (_, show, _) =>
        {
            inbox.Writer.TryWrite(show);
            return ValueTask.CompletedTask;
        });
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(uid), handlers);
        RegisterResult result = await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
        Assert.Equal(uid, result.Uid);
        return (agent, inbox.Reader);
    }
}
