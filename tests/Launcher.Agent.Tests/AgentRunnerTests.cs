using Launcher.Agent.Connection;
using Launcher.Agent.Notifications;
using Launcher.Agent.UserKeys;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Client;
using Launcher.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Agent.Tests;

/// <summary>The whole agent loop against a daemon stand-in on a real Unix socket in a temporary directory.</summary>
public sealed class AgentRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 30000)]
    public async Task Run_DaemonPresent_RegistersShowsAndAcks()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("d.sock"));
        var presenter = new RecordingPresenter();
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(daemon.Path, presenter, stop.Token);

        (JsonRpcConnection connection, RegisterParams registration) = await daemon.Registrations.Reader.ReadAsync();
        await connection.NotifyAsync(Methods.NotificationShow, TestNotifications.Make("n_1"));
        AckNotificationParams ack = await daemon.Acks.Reader.ReadAsync();

        Assert.Equal("test", registration.AgentVersion);
        Assert.Equal("recording", registration.Presenter);
        Assert.Equal("n_1", ack.Id);
        Assert.Equal(NotificationOutcomes.Shown, ack.Outcome);
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 30000)]
    public async Task Run_DaemonDropsConnection_ReconnectsAndRegistersAgain()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("d.sock"));
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(daemon.Path, new RecordingPresenter(), stop.Token);
        await daemon.Registrations.Reader.ReadAsync();

        daemon.DropAll();
        (JsonRpcConnection second, _) = await daemon.Registrations.Reader.ReadAsync();

        Assert.Null(second.CloseReason);
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 20000)]
    public async Task Run_DaemonHangsWithSocketOpen_HeartbeatTimesOutAndAgentReconnects()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("d.sock")) { HangStatus = true };
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(daemon.Path, new RecordingPresenter(), stop.Token, heartbeat: TimeSpan.FromMilliseconds(200));
        (JsonRpcConnection first, _) = await daemon.Registrations.Reader.ReadAsync();

        (JsonRpcConnection second, _) = await daemon.Registrations.Reader.ReadAsync();

        Assert.NotSame(first, second);
        await first.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 20000)]
    public async Task Run_DaemonAnswersHeartbeats_StaysOnOneConnection()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("d.sock"));
        using var stop = new CancellationTokenSource();
        // Frequent heartbeats, but a generous answer time: on a loaded machine a 100 ms round trip is not a given.
        Task run = StartAgent(daemon.Path, new RecordingPresenter(), stop.Token, heartbeat: TimeSpan.FromMilliseconds(100), heartbeatTimeout: TimeSpan.FromSeconds(10));
        (JsonRpcConnection first, _) = await daemon.Registrations.Reader.ReadAsync();

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Null(first.CloseReason);
        Assert.False(daemon.Registrations.Reader.TryRead(out _));
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 30000)]
    public async Task Run_DaemonNotThereYet_ConnectsOnceItListens()
    {
        string path = _dir.File("late.sock");
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(path, new RecordingPresenter(), stop.Token);
        await Task.Delay(200);

        await using var daemon = new SocketFakeDaemon(path);
        await daemon.Registrations.Reader.ReadAsync();

        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 30000)]
    public async Task Run_DaemonRefusedByPeerCheck_SendsNothing()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("fake.sock")) { RawMode = true };
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(daemon.Path, new RecordingPresenter(), stop.Token, verify: _ => "not launcherd (test)");

        int bytes = await daemon.BytesFromRefusedClients.Reader.ReadAsync();

        Assert.Equal(0, bytes);
        await stop.CancelAsync();
        await run;
    }

    [Fact(Timeout = 30000)]
    public async Task Run_Cancelled_ClosesTheConnectionAndReturns()
    {
        await using var daemon = new SocketFakeDaemon(_dir.File("d.sock"));
        using var stop = new CancellationTokenSource();
        Task run = StartAgent(daemon.Path, new RecordingPresenter(), stop.Token);
        (JsonRpcConnection connection, _) = await daemon.Registrations.Reader.ReadAsync();

        await stop.CancelAsync();
        await run;
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        // EOF or a reset, depending on timing; what matters is that the agent ended it, not the daemon.
        Assert.NotEqual("the test dropped it", connection.CloseReason);
    }

    private static Task StartAgent(string socketPath, RecordingPresenter presenter, CancellationToken stop, Func<Launcher.Platform.Ipc.PeerCredentials, string?>? verify = null, TimeSpan? heartbeat = null, TimeSpan? heartbeatTimeout = null)
    {
        var acks = new AckOutbox(NullLogger.Instance);
        var inbox = new NotificationInbox(SeenNotifications.InMemory(), presenter, acks, TimeProvider.System, NullLogger.Instance);
        var signer = new UserKeySigner(null, 4242, TimeProvider.System, NullLogger.Instance);
        var options = new LauncherClientOptions
        {
            SocketPath = socketPath,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CallTimeout = TimeSpan.FromSeconds(5),
            Handlers = AgentHandlers.Build(inbox, signer),
            VerifyDaemon = verify ?? (peer => DaemonTrust.Check(peer.Uid, Launcher.Platform.Ipc.ProcessIdentity.EffectiveUid, null)),
        };
        var runner = new AgentRunner(
            socketPath,
            cancellationToken => LauncherClient.ConnectAsync(options, cancellationToken),
            () => new RegisterParams { AgentVersion = "test", Presenter = presenter.Name },
            inbox,
            acks,
            new ReconnectBackoff(new Random(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)),
            TimeProvider.System,
            NullLogger.Instance)
        {
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(60),
            HeartbeatTimeout = heartbeatTimeout ?? heartbeat ?? TimeSpan.FromSeconds(15),
        };
        return Task.Run(() => runner.RunAsync(stop), CancellationToken.None);
    }
}
