using System.Threading.Channels;
using Launcher.Agent.Presenters;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Agent.Tests.DBus;

/// <summary>The Linux presenter against a real dbus-daemon and a notification server written for the tests.</summary>
public sealed class DBusNotificationPresenterTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [DBusFact(Timeout = 30000)]
    public async Task Present_ServerReturnsAnId_IsShown_WithDefaultActionActionsHintsAndTimeout()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);
        ShowNotificationParams notification = Make("n_shown", url: "https://example.com/a?b=1", actions: [new() { Id = "approve", Label = "Approve" }, new() { Id = "deny", Label = "Deny" }]);

        PresentationResult result = await context.Presenter.PresentAsync(notification, CancellationToken.None);
        ReceivedNotification received = await server.NextAsync();

        Assert.Equal(NotificationOutcomes.Shown, result.Outcome);
        Assert.Contains($"id {received.Id}", result.Reason, StringComparison.Ordinal);
        Assert.Equal("Launcher", received.AppName);
        Assert.Equal("Title <n_shown>", received.Summary);
        Assert.Equal("Body &amp; more\nhttps://example.com/a?b=1", received.Body);
        Assert.Equal(["default", "Open", "action-0", "Approve", "action-1", "Deny"], received.Actions);
        Assert.Equal("1", received.Hints["urgency"]);
        Assert.Equal("n_shown", received.Hints["x-launcher-id"]);
        Assert.Equal(-1, received.ExpireTimeout);
        Assert.Equal(new PresenterCapabilities { Clicks = true, Actions = true, TruthfulDelivery = true }, context.Presenter.Capabilities);
    }

    [DBusFact(Timeout = 30000)]
    public async Task Click_IsClicked_AndOpensTheUrl()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_click", url: "https://example.com/path"), CancellationToken.None);
        ReceivedNotification received = await server.NextAsync();
        server.InvokeAction(received.Id, "default");
        server.Close(received.Id, 2);

        NotificationInteraction interaction = await context.NextAsync();
        Assert.Equal(new NotificationInteraction("n_click", NotificationOutcomes.Clicked, null, "the user clicked it"), interaction);
        Assert.Equal(new Uri("https://example.com/path"), await context.Opener.FirstAsync);
        await context.AssertNoMoreAsync();
    }

    [DBusFact(Timeout = 30000)]
    public async Task Action_IsClickedWithTheActionId_AndOpensNothing()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_action", url: "https://example.com/", actions: [new() { Id = "approve", Label = "Approve" }, new() { Id = "deny", Label = "Deny" }]), CancellationToken.None);
        ReceivedNotification received = await server.NextAsync();
        server.InvokeAction(received.Id, "action-1");

        NotificationInteraction interaction = await context.NextAsync();
        Assert.Equal(NotificationOutcomes.Clicked, interaction.Outcome);
        Assert.Equal("deny", interaction.ActionId);
        Assert.Empty(context.Opener.Opened);
    }

    [DBusFact(Timeout = 30000)]
    public async Task SignalBeforeTheNotifyReply_IsStillReported()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        server.InvokeBeforeReply = "action-0";
        await using var context = new PresenterContext(bus.Address);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_race", actions: [new() { Id = "now", Label = "Now" }]), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Shown, result.Outcome);
        NotificationInteraction interaction = await context.NextAsync();
        Assert.Equal(("n_race", NotificationOutcomes.Clicked, "now"), (interaction.Id, interaction.Outcome, interaction.ActionId));
    }

    [DBusFact(Timeout = 30000)]
    public async Task DismissedByTheUser_IsDismissed()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_dismiss"), CancellationToken.None);
        server.Close((await server.NextAsync()).Id, 2);

        NotificationInteraction interaction = await context.NextAsync();
        Assert.Equal(NotificationOutcomes.Dismissed, interaction.Outcome);
        Assert.Equal("n_dismiss", interaction.Id);
        Assert.Equal(0, context.Presenter.TrackedCount);
    }

    [DBusFact(Timeout = 30000)]
    public async Task ExpiredByTheServer_IsExpired_AndAShortLifetimeBecomesTheTimeout()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_expire", lifetime: TimeSpan.FromSeconds(30)), CancellationToken.None);
        ReceivedNotification received = await server.NextAsync();
        server.Close(received.Id, 1);

        Assert.Equal(NotificationOutcomes.Expired, (await context.NextAsync()).Outcome);
        Assert.InRange(received.ExpireTimeout, 1, 30_000);
    }

    [DBusFact(Timeout = 30000)]
    public async Task ClosedByACallOrForAnUndefinedReason_ReportsNothing()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_3"), CancellationToken.None);
        await context.Presenter.PresentAsync(Make("n_4"), CancellationToken.None);
        server.Close((await server.NextAsync()).Id, 3);
        server.Close((await server.NextAsync()).Id, 4);

        await context.AssertNoMoreAsync();
        Assert.Equal(0, context.Presenter.TrackedCount);
    }

    [DBusFact(Timeout = 30000)]
    public async Task Click_OnANonHttpUrl_IsClickedButNothingIsOpened()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var context = new PresenterContext(bus.Address);

        await context.Presenter.PresentAsync(Make("n_file", url: "file:///etc/shadow"), CancellationToken.None);
        server.InvokeAction((await server.NextAsync()).Id, "default");

        Assert.Equal(NotificationOutcomes.Clicked, (await context.NextAsync()).Outcome);
        await Task.Delay(200);
        Assert.Empty(context.Opener.Opened);
    }

    [DBusFact(Timeout = 30000)]
    public async Task ServerWithoutActions_GetsNoActions_AndTheCapabilitiesSaySo()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address, "body");
        await using var context = new PresenterContext(bus.Address);
        await context.Presenter.StartAsync(CancellationToken.None);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_plain", actions: [new() { Id = "a", Label = "A" }]), CancellationToken.None);
        ReceivedNotification received = await server.NextAsync();

        Assert.Equal(NotificationOutcomes.Shown, result.Outcome);
        Assert.Empty(received.Actions);
        Assert.Equal("Body & more", received.Body);
        Assert.Equal(new PresenterCapabilities { TruthfulDelivery = true }, context.Presenter.Capabilities);
    }

    [DBusFact(Timeout = 30000)]
    public async Task NoNotificationServerOnTheBus_FailsWithTheReason()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using var context = new PresenterContext(bus.Address);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_none"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Failed, result.Outcome);
        Assert.Contains("no notification server on the session bus", result.Reason, StringComparison.Ordinal);
        Assert.Contains("ServiceUnknown", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30000)]
    public async Task NoBusAtTheAddress_FailsWithTheReason()
    {
        string missing = "unix:path=" + Path.Combine(Path.GetTempPath(), "launcher-no-bus-" + Guid.NewGuid().ToString("N"));
        await using var context = new PresenterContext(missing);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_nobus"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Failed, result.Outcome);
        Assert.Contains("cannot reach the D-Bus session bus", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30000)]
    public async Task NoSessionBusAtAll_IsUnsupported_AndFailsWithTheReason()
    {
        await using var context = new PresenterContext((string?)null);

        PresentationResult result = await context.Presenter.PresentAsync(Make("n_nothing"), CancellationToken.None);

        Assert.False(context.Presenter.IsSupported(out string reason));
        Assert.Contains("no D-Bus session bus", reason, StringComparison.Ordinal);
        Assert.Equal(NotificationOutcomes.Failed, result.Outcome);
    }

    [DBusFact(Timeout = 60000)]
    public async Task BusDiesMidway_FailsWithoutCrashing_ThenReconnectsToTheNextBus()
    {
        SessionBus first = await SessionBus.StartAsync();
        string address = first.Address;
        await using var context = new PresenterContext(() => address);
        await using (first)
        {
            await using TestNotificationServer server = await TestNotificationServer.StartAsync(first.Address);
            Assert.Equal(NotificationOutcomes.Shown, (await context.Presenter.PresentAsync(Make("n_before"), CancellationToken.None)).Outcome);
            await server.NextAsync();
            await first.KillAsync();
        }

        PresentationResult during = await context.Presenter.PresentAsync(Make("n_during"), CancellationToken.None);
        Assert.Equal(NotificationOutcomes.Failed, during.Outcome);
        Assert.Equal(0, context.Presenter.TrackedCount);

        await using SessionBus second = await SessionBus.StartAsync();
        await using TestNotificationServer next = await TestNotificationServer.StartAsync(second.Address);
        address = second.Address;
        PresentationResult after = await context.Presenter.PresentAsync(Make("n_after"), CancellationToken.None);
        ReceivedNotification received = await next.NextAsync();
        next.InvokeAction(received.Id, "default");

        Assert.Equal(NotificationOutcomes.Shown, after.Outcome);
        Assert.Equal("n_after", (await context.NextAsync()).Id);
    }

    private static ShowNotificationParams Make(string id, string? url = null, IReadOnlyList<NotificationAction>? actions = null, TimeSpan? lifetime = null) => new()
    {
        Id = id,
        Title = $"Title <{id}>",
        Body = "Body & more",
        Url = url,
        Actions = actions,
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromDays(1)),
    };

    /// <summary>A presenter with a recording URL opener and its interactions collected in order.</summary>
    private sealed class PresenterContext : IAsyncDisposable
    {
        private readonly Channel<NotificationInteraction> _interactions = Channel.CreateUnbounded<NotificationInteraction>();

        public PresenterContext(string? address)
            : this(() => address)
        {
        }

        public PresenterContext(Func<string?> address)
        {
            Presenter = new DBusNotificationPresenter(address, Opener, TimeProvider.System, NullLogger.Instance);
            Presenter.SetInteractionHandler(i => _interactions.Writer.TryWrite(i));
        }

        public RecordingUrlOpener Opener { get; } = new();

        public DBusNotificationPresenter Presenter { get; }

        public async Task<NotificationInteraction> NextAsync() => await _interactions.Reader.ReadAsync().AsTask().WaitAsync(s_wait);

        /// <summary>Nothing more arrives within a short while (used after a final outcome and its close).</summary>
        public async Task AssertNoMoreAsync()
        {
            await Task.Delay(300);
            Assert.False(_interactions.Reader.TryRead(out NotificationInteraction? extra), "unexpected interaction: " + extra);
        }

        public ValueTask DisposeAsync() => Presenter.DisposeAsync();
    }
}
