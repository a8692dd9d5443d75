using Launcher.Agent.Connection;
using Launcher.Agent.Notifications;
using Launcher.Agent.UserKeys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Agent.Tests;

/// <summary>An agent's notification path wired to an in-memory fake daemon, with the worker running.</summary>
internal sealed class InboxHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public InboxHarness(SeenNotifications seen, RecordingPresenter? presenter = null, UserKey? userKey = null, bool attach = true)
    {
        Seen = seen;
        Presenter = presenter ?? new RecordingPresenter();
        Acks = new AckOutbox(NullLogger.Instance);
        Inbox = new NotificationInbox(seen, Presenter, Acks, TimeProvider.System, NullLogger.Instance);
        var signer = new UserKeySigner(userKey, 4242, TimeProvider.System, NullLogger.Instance);
        Daemon = FakeDaemon.Start(AgentHandlers.Build(Inbox, signer));
        if (attach)
        {
            AttachAsync().GetAwaiter().GetResult();
        }

        _worker = Inbox.RunAsync(_stop.Token);
    }

    public SeenNotifications Seen { get; }

    public RecordingPresenter Presenter { get; }

    public AckOutbox Acks { get; }

    public NotificationInbox Inbox { get; }

    public FakeDaemon Daemon { get; }

    public Task AttachAsync() => Acks.AttachAsync(Daemon.Agent, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _worker;
        await Daemon.DisposeAsync();
        _stop.Dispose();
    }
}
