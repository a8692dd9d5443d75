using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Client;
using Launcher.Rpc;

namespace Launcher.Agent.Tests;

/// <summary>
/// The daemon's side of one agent connection, in memory (two pipes with Content-Length framing): answers
/// agent/register and notification/ack like launcherd, and records what the agent sent.
/// </summary>
internal sealed class FakeDaemon : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _acked = new(StringComparer.Ordinal);

    private FakeDaemon(JsonRpcConnection daemon, LauncherClient agent)
    {
        Connection = daemon;
        Agent = agent;
    }

    /// <summary>The daemon's end: call the agent with it.</summary>
    public JsonRpcConnection Connection { get; }

    /// <summary>The agent's end, as the agent's runner would hold it.</summary>
    public LauncherClient Agent { get; }

    public Channel<AckNotificationParams> Acks { get; } = Channel.CreateUnbounded<AckNotificationParams>();

    public Channel<RegisterParams> Registrations { get; } = Channel.CreateUnbounded<RegisterParams>();

    /// <summary>A connected pair; <paramref name="agentHandlers"/> is what the agent serves.</summary>
    public static FakeDaemon Start(RpcHandlerTable agentHandlers, RpcHandlerTable? daemonHandlers = null)
    {
        var toAgent = new Pipe();
        var toDaemon = new Pipe();
        FakeDaemon? fake = null;
        RpcHandlerTable table = daemonHandlers ?? new RpcHandlerTable()
            .Add(Methods.AgentRegister, (context, request, cancellationToken) =>
            {
                fake!.Registrations.Writer.TryWrite(request);
                return ValueTask.FromResult(new RegisterResult { Uid = request.Uid ?? 0, AgentId = "a1", Pending = 0 });
            })
            .Add(Methods.NotificationAck, (context, request, cancellationToken) =>
            {
                bool already = !fake!._acked.TryAdd(request.Id, request.Outcome);
                fake.Acks.Writer.TryWrite(request);
                return ValueTask.FromResult(new AckNotificationResult { Id = request.Id, AlreadyAcknowledged = already });
            });
        var daemon = new JsonRpcConnection(new HeaderDelimitedTransport(toDaemon.Reader, toAgent.Writer, RpcLimits.Default), table, LauncherClientOptions.DefaultLimits) { Name = "fake daemon" };
        var agent = new JsonRpcConnection(new HeaderDelimitedTransport(toAgent.Reader, toDaemon.Writer, RpcLimits.Default), agentHandlers, LauncherClientOptions.DefaultLimits) { Name = "agent" };
        fake = new FakeDaemon(daemon, new LauncherClient(agent, null, TimeSpan.FromSeconds(5)));
        daemon.Start();
        agent.Start();
        return fake;
    }

    /// <summary>
    /// Returns once the agent has dispatched everything sent before: the agent reads messages in order, so the
    /// answer to a request sent after them comes after their handlers ran up to their first wait.
    /// </summary>
    public async Task BarrierAsync()
    {
        await Assert.ThrowsAnyAsync<RpcException>(() => Connection.InvokeAsync(Methods.UserKeySign, new UserKeySignParams
        {
            Audience = "barrier",
            Nonce = "barrier-nonce",
            ProofId = "barrier",
            IssuedAt = 1,
            ExpiresAt = 0,
        }));
    }

    public async Task<AckNotificationParams> NextAckAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await Acks.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
