using Launcher.Contracts.Status;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Agent.Tests;

/// <summary>A daemon stand-in on a real Unix socket: accepts agents, answers register and ack, can drop them.</summary>
internal sealed class SocketFakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly RpcHandlerTable _table;
    private readonly ConcurrentBag<JsonRpcConnection> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SocketFakeDaemon(string path)
    {
        Path = path;
        _table = new RpcHandlerTable()
            .Add(Methods.AgentRegister, (context, request, cancellationToken) =>
            {
                Registrations.Writer.TryWrite((context.Connection, request));
                return ValueTask.FromResult(new RegisterResult { Uid = request.Uid ?? 0, AgentId = "a" + Registrations.Reader.Count, Pending = 0 });
            })
            .Add(Methods.NotificationAck, (context, request, cancellationToken) =>
            {
                Acks.Writer.TryWrite(request);
                return ValueTask.FromResult(new AckNotificationResult { Id = request.Id, AlreadyAcknowledged = false });
            })
            .Add(Methods.DaemonStatus, async (context, request, cancellationToken) =>
            {
                // A hung daemon: the socket stays open, the call never answers.
                if (HangStatus)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }

                return new StatusResult { Version = "fake", UptimeSeconds = 0, Pid = 1, DevMode = true, Agents = [], Connections = 1, PendingNotifications = 0 };
            });
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(16);
        _accepting = AcceptLoopAsync();
    }

    public string Path { get; }

    /// <summary>Makes daemon/status never answer, like a daemon that hangs with its socket open.</summary>
    public bool HangStatus { get; set; }

    public Channel<(JsonRpcConnection Connection, RegisterParams Request)> Registrations { get; } = Channel.CreateUnbounded<(JsonRpcConnection, RegisterParams)>();

    public Channel<AckNotificationParams> Acks { get; } = Channel.CreateUnbounded<AckNotificationParams>();

    /// <summary>Raw connections that were accepted and then read to their end (for the "nothing sent" check).</summary>
    public Channel<int> BytesFromRefusedClients { get; } = Channel.CreateUnbounded<int>();

    /// <summary>When true, accepted sockets are only read (no JSON-RPC) and the byte count is reported.</summary>
    public bool RawMode { get; set; }

    public void DropAll()
    {
        foreach (JsonRpcConnection connection in _connections)
        {
            connection.Close("the test dropped it");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        foreach (JsonRpcConnection connection in _connections)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException)
            {
                // The engine's dispose after a close can flush into the disposed stream (see the report).
            }
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptAsync(_stop.Token);
            if (RawMode)
            {
                _ = CountBytesAsync(client);
                continue;
            }

            var connection = new JsonRpcConnection(new HeaderDelimitedTransport(new NetworkStream(client, ownsSocket: true), RpcLimits.Default), _table, new RpcLimits { IdleTimeout = null }) { Name = "socket fake daemon" };
            _connections.Add(connection);
            connection.Start();
        }
    }

    private async Task CountBytesAsync(Socket client)
    {
        using (client)
        {
            byte[] buffer = new byte[4096];
            int total = 0;
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                total += read;
            }

            BytesFromRefusedClients.Writer.TryWrite(total);
        }
    }
}
