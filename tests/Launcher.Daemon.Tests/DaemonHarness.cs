using System.IO.Pipelines;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Fleet;
using Launcher.Daemon.Handlers;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Daemon.Notifications;
using Launcher.Platform.Keys;
using Launcher.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Daemon.Tests;

/// <summary>
/// The daemon's real services (outbox in SQLite, software identity, dispatcher with every module) in a temp
/// directory, with sessions connected over in-memory pipes instead of a socket so each test picks the caller.
/// </summary>
internal sealed class DaemonHarness : IAsyncDisposable
{
    private readonly List<JsonRpcConnection> _connections = [];
    private readonly bool _ownsDirectory;

    public DaemonHarness(TempDirectory? directory = null, bool allowUserKeyFallback = false, MachineFactsInfo? facts = null, FleetLinkOptions? fleet = null, TimeProvider? fleetTime = null, IReadOnlyList<uint>? userKeyUids = null, Func<uint?>? consoleUser = null, Launcher.Daemon.Configuration.FleetSettings? fleetSettings = null, Microsoft.Extensions.Logging.ILogger<FleetLink>? fleetLogger = null)
    {
        _ownsDirectory = directory is null;
        Directory = directory ?? new TempDirectory();
        Options = new DaemonOptions
        {
            SocketPath = Directory.File("test.sock"),
            StateDirectory = Directory.Path,
            Dev = true,
            KeyStore = "software",
            AllowUserKeyFallback = allowUserKeyFallback,
            Fleet = fleet ?? new FleetLinkOptions(),
            UserKeyUids = userKeyUids ?? [],
        };
        Sessions = new SessionRegistry();
        Inventory = StateInventory.Take(Directory.Path);
        Store = new NotificationStore(Directory.File("outbox.db"));
        Notifications = new NotificationService(Store, Sessions, Options, TimeProvider.System, NullLogger<NotificationService>.Instance);
        KeyStore = new SoftwareKeyStore(Directory.File(KeyStoreFactory.SoftwareKeyFile), KeyClasses.Software);
        Identity = new IdentityService(new KeyStoreSelection(KeyStore, []), Options, facts ?? new MachineFactsInfo { OsName = "Test" }, Inventory, new UserKeyProof(Sessions, Options, consoleUser ?? (() => null), NullLogger<UserKeyProof>.Instance), TimeProvider.System, NullLogger<IdentityService>.Instance, MachineId);
        Identity.Initialize();
        Fleet = new FleetLink(
            new FleetStateStore(Directory.Path),
            new FleetConnector(Options.Fleet, fleetTime ?? TimeProvider.System, NullLoggerFactory.Instance),
            Identity,
            Notifications,
            Store,
            Options.Fleet,
            fleetTime ?? TimeProvider.System,
            fleetLogger ?? NullLogger<FleetLink>.Instance,
            MachineId,
            settings: fleetSettings);
        Registry = new MethodRegistry(
            [
                new StatusMethods(new DaemonInfo(TimeProvider.System), Options, Sessions, Store, Identity, TimeProvider.System, Fleet),
                new AgentMethods(Sessions, Notifications, NullLogger<AgentMethods>.Instance),
                new NotificationMethods(Notifications),
                new IdentityMethods(Identity),
                new FleetLinkMethods(Fleet),
                new DiagnoseMethods(Options, new KeyStoreSelection(KeyStore, []), NullLogger<DiagnoseMethods>.Instance),
            ],
            NullLogger<MethodRegistry>.Instance);
    }

    public TempDirectory Directory { get; }

    public DaemonOptions Options { get; }

    public SessionRegistry Sessions { get; }

    /// <summary>What the state directory held before the harness opened the outbox.</summary>
    public StateInventory Inventory { get; }

    public NotificationStore Store { get; }

    public NotificationService Notifications { get; }

    public SoftwareKeyStore KeyStore { get; }

    public IdentityService Identity { get; }

    /// <summary>The fleet machine id the link sets and the identity service shows.</summary>
    public FleetMachineId MachineId { get; } = new();

    /// <summary>The fleet link (not started: tests that need its loop start it themselves).</summary>
    public FleetLink Fleet { get; }

    public MethodRegistry Registry { get; }

    /// <summary>Connects a client as <paramref name="caller"/>; <paramref name="clientHandlers"/> serve daemon-to-client calls.</summary>
    public JsonRpcConnection Connect(Caller caller, RpcHandlerTable? clientHandlers = null)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = new JsonRpcConnection(new HeaderDelimitedTransport(toServer.Reader, toClient.Writer, RpcLimits.Default), Registry.Table, RpcLimits.Default);
        var session = new Session(caller, server);
        server.State = session;
        Assert.True(Sessions.TryAdd(session, new ConnectionCaps(100, 100, 1), out _));
        _ = server.Completion.ContinueWith(_ => Sessions.Remove(session), TaskScheduler.Default);
        var client = new JsonRpcConnection(new HeaderDelimitedTransport(toClient.Reader, toServer.Writer, RpcLimits.Default), clientHandlers, RpcLimits.Default);
        server.Start();
        client.Start();
        _connections.Add(server);
        _connections.Add(client);
        return client;
    }

    public static Caller Root => new(0, 0, 100, IsAdmin: true);

    public static Caller User(uint uid) => new(uid, uid, 200 + (int)uid, IsAdmin: false);

    public async ValueTask DisposeAsync()
    {
        foreach (JsonRpcConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        Fleet.Dispose();
        await Store.DisposeAsync();
        Identity.Dispose();
        if (_ownsDirectory)
        {
            Directory.Dispose();
        }
    }
}
