using Launcher.Agent.Notifications;
using Launcher.Agent.Presenters;
using Launcher.Contracts;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

public sealed class NotificationInboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 10000)]
    public async Task Show_SameIdTwice_ShownOnceAndSecondAckRepeatsOutcome()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory());

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_1"));
        AckNotificationParams first = await harness.Daemon.NextAckAsync();
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_1"));
        AckNotificationParams second = await harness.Daemon.NextAckAsync();

        Assert.Equal(["n_1"], harness.Presenter.Shown);
        Assert.Equal(NotificationOutcomes.Shown, first.Outcome);
        Assert.Equal(first, second);
    }

    [Fact(Timeout = 10000)]
    public async Task Show_FailedPresentation_AcksFailedWithDetailAndRepeatsIt()
    {
        var presenter = new RecordingPresenter { Result = PresentationResult.Failed("no session bus") };
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), presenter);

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_f"));
        AckNotificationParams first = await harness.Daemon.NextAckAsync();
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_f"));
        AckNotificationParams second = await harness.Daemon.NextAckAsync();

        Assert.Equal(NotificationOutcomes.Failed, first.Outcome);
        Assert.Equal("no session bus", first.Detail);
        Assert.Equal(first, second);
        Assert.Single(presenter.Shown);
    }

    [Fact(Timeout = 10000)]
    public async Task Show_RepeatWhileInProgress_IsIgnored()
    {
        var presenter = new RecordingPresenter { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), presenter);

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_slow"));
        await presenter.Started.Task;
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_slow"));
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_marker"));
        await harness.Daemon.BarrierAsync();
        presenter.Gate.SetResult();

        Assert.Equal("n_slow", (await harness.Daemon.NextAckAsync()).Id);
        Assert.Equal("n_marker", (await harness.Daemon.NextAckAsync()).Id);
        Assert.Equal(["n_slow", "n_marker"], presenter.Shown);
        Assert.False(harness.Daemon.Acks.Reader.TryRead(out _));
    }

    [Fact(Timeout = 10000)]
    public async Task Show_AfterAgentRestart_IsNotShownAgainButAckedAgain()
    {
        string path = _dir.File(SeenNotifications.FileName);
        await using (var before = new InboxHarness(SeenNotifications.Load(path, 100, TimeProvider.System, out _)))
        {
            await before.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_r"));
            await before.Daemon.NextAckAsync();
        }

        await using var after = new InboxHarness(SeenNotifications.Load(path, 100, TimeProvider.System, out _));
        await after.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_r"));
        AckNotificationParams ack = await after.Daemon.NextAckAsync();

        Assert.Empty(after.Presenter.Shown);
        Assert.Equal(NotificationOutcomes.Shown, ack.Outcome);
    }

    [Fact(Timeout = 10000)]
    public async Task Show_AlreadyExpired_IsNotShownAndAckedFailed()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory());

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_old", expiresIn: TimeSpan.FromSeconds(-1)));
        AckNotificationParams ack = await harness.Daemon.NextAckAsync();

        Assert.Empty(harness.Presenter.Shown);
        Assert.Equal(NotificationOutcomes.Failed, ack.Outcome);
        Assert.Contains("expired", ack.Detail);
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_WhileDisconnected_IsSentAfterAttach()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), attach: false);

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_later"));
        while (harness.Acks.UnsentCount == 0)
        {
            await Task.Delay(10);
        }

        Assert.False(harness.Daemon.Acks.Reader.TryRead(out _));
        await harness.AttachAsync();
        AckNotificationParams ack = await harness.Daemon.NextAckAsync();

        Assert.Equal("n_later", ack.Id);
        Assert.Equal(0, harness.Acks.UnsentCount);
    }

    [Fact(Timeout = 10000)]
    public async Task Show_IdLongerThan64_IsIgnored()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory());

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make(new string('x', 65)));
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_ok"));

        Assert.Equal("n_ok", (await harness.Daemon.NextAckAsync()).Id);
        Assert.Equal(["n_ok"], harness.Presenter.Shown);
    }

    [Fact(Timeout = 10000)]
    public async Task Interaction_AfterShown_IsAckedAsClickedWithTheAction_AndRepeatedOnRedelivery()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory());
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_act"));
        Assert.Equal(NotificationOutcomes.Shown, (await harness.Daemon.NextAckAsync()).Outcome);

        harness.Presenter.Interactions!(new NotificationInteraction("n_act", NotificationOutcomes.Clicked, "approve", "the user chose an action"));
        AckNotificationParams clicked = await harness.Daemon.NextAckAsync();
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_act"));
        AckNotificationParams repeated = await harness.Daemon.NextAckAsync();

        Assert.Equal(NotificationOutcomes.Clicked, clicked.Outcome);
        Assert.Equal("approve", clicked.ActionId);
        Assert.Equal(clicked, repeated);
        Assert.Single(harness.Presenter.Shown);
    }

    [Fact(Timeout = 10000)]
    public async Task Interaction_BeforeThePresenterReturns_IsNotReplacedByShown()
    {
        var presenter = new RecordingPresenter { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), presenter);
        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_fast"));
        await presenter.Started.Task;

        presenter.Interactions!(new NotificationInteraction("n_fast", NotificationOutcomes.Dismissed, null, "the user dismissed it"));
        AckNotificationParams first = await harness.Daemon.NextAckAsync();
        presenter.Gate.SetResult();
        AckNotificationParams second = await harness.Daemon.NextAckAsync();

        Assert.Equal(NotificationOutcomes.Dismissed, first.Outcome);
        Assert.Equal(NotificationOutcomes.Dismissed, second.Outcome);
        Assert.Equal(NotificationOutcomes.Dismissed, harness.Seen.Find("n_fast")!.Outcome);
    }

    [Fact(Timeout = 10000)]
    public async Task Submitted_IsAckedAsSubmitted()
    {
        var presenter = new RecordingPresenter { Result = PresentationResult.Submitted("handed to the OS") };
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), presenter);

        await harness.Daemon.Connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_sub"));

        AckNotificationParams ack = await harness.Daemon.NextAckAsync();
        Assert.Equal(NotificationOutcomes.Submitted, ack.Outcome);
        Assert.Null(ack.Detail);
    }
}
