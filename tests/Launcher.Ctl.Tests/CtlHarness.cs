using System.IO.Pipelines;
using Launcher.Ctl;
using Launcher.Client;
using Launcher.Rpc;

namespace Launcher.Ctl.Tests;

/// <summary>Runs launcherctl in-process against an in-memory daemon (or a connector that fails), capturing its output.</summary>
internal sealed class CtlHarness
{
    private readonly RpcHandlerTable? _daemon;
    private readonly Exception? _connectFailure;

    private readonly Launcher.Ctl.Doctor.IDoctorHost? _doctorHost;

    public CtlHarness(RpcHandlerTable daemon, Launcher.Ctl.Doctor.IDoctorHost? doctorHost = null)
    {
        _daemon = daemon;
        _doctorHost = doctorHost;
    }

    public CtlHarness(Exception connectFailure, Launcher.Ctl.Doctor.IDoctorHost? doctorHost = null)
    {
        _connectFailure = connectFailure;
        _doctorHost = doctorHost;
    }

    public StringWriter Out { get; } = new();

    public StringWriter Error { get; } = new();

    public string? SocketPathSeen { get; private set; }

    public TimeSpan TimeoutSeen { get; private set; }

    public int Run(params string[] args)
    {
        var environment = new CtlEnvironment(Out, Error, TextStyle.Plain, ConnectAsync, _doctorHost);
        return CtlCommandLine.Run(args, environment);
    }

    private Task<LauncherClient> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        SocketPathSeen = socketPath;
        TimeoutSeen = timeout;
        if (_connectFailure is not null)
        {
            return Task.FromException<LauncherClient>(_connectFailure);
        }

        var toDaemon = new Pipe();
        var toClient = new Pipe();
        var daemon = new JsonRpcConnection(new HeaderDelimitedTransport(toDaemon.Reader, toClient.Writer, RpcLimits.Default), _daemon) { Name = "fake daemon" };
        var client = new JsonRpcConnection(new HeaderDelimitedTransport(toClient.Reader, toDaemon.Writer, RpcLimits.Default), null, LauncherClientOptions.DefaultLimits) { Name = "ctl" };
        daemon.Start();
        client.Start();
        _ = client.Completion.ContinueWith(_ => daemon.DisposeAsync().AsTask(), TaskScheduler.Default);
        return Task.FromResult(new LauncherClient(client, null, timeout));
    }
}
