using System.IO.Pipelines;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Dispatch;
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

    public DaemonHarness(TempDirectory? directory = null, bool allowUserKeyFallback = false)
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
        };
        Sessions = new SessionRegistry();
        Store = new NotificationStore(Directory.File("outbox.db"));
        Notifications = new NotificationService(Store, Sessions, Options, TimeProvider.System, NullLogger<NotificationService>.Instance);
        KeyStore = new SoftwareKeyStore(Directory.File(KeyStoreFactory.SoftwareKeyFile), KeyClasses.Software);
        Identity = new IdentityService(new KeyStoreSelection(KeyStore, []), Options, new MachineFactsInfo { OsName = "Test" }, Sessions, TimeProvider.System, NullLogger<IdentityService>.Instance);
        Identity.Initialize();
        Registry = new MethodRegistry(
            [
                new StatusMethods(new DaemonInfo(TimeProvider.System), Options, Sessions, Store, Identity, TimeProvider.System),
                new AgentMethods(Sessions, Notifications, NullLogger<AgentMethods>.Instance),
                new NotificationMethods(Notifications),
                new IdentityMethods(Identity),
                new DiagnoseMethods(Options, new KeyStoreSelection(KeyStore, []), NullLogger<DiagnoseMethods>.Instance),
            ],
            NullLogger<MethodRegistry>.Instance);
    }

    public TempDirectory Directory { get; }

    public DaemonOptions Options { get; }

    public SessionRegistry Sessions { get; }

    public NotificationStore Store { get; }

    public NotificationService Notifications { get; }

    public SoftwareKeyStore KeyStore { get; }

    public IdentityService Identity { get; }

    public MethodRegistry Registry { get; }

    /// <summary>Connects a client as <paramref name="caller"/>; <paramref name="clientHandlers"/> serve daemon-to-client calls.</summary>
    public JsonRpcConnection Connect(Caller caller, RpcHandlerTable? clientHandlers = null)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = new JsonRpcConnection(new HeaderDelimitedTransport(toServer.Reader, toClient.Writer, RpcLimits.Default), Registry.Table, RpcLimits.Default);
        var session = new Session(caller, server);
        server.State = session;
        Assert.True(Sessions.TryAdd(session, 100, 100, out _));
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

        await Store.DisposeAsync();
        Identity.Dispose();
        if (_ownsDirectory)
        {
            Directory.Dispose();
        }
    }
}
