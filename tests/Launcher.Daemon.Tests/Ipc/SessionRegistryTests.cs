using System.IO.Pipelines;
using Launcher.Daemon.Ipc;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Ipc;

public sealed class SessionRegistryTests
{
    [Fact]
    public void TryAdd_BeyondThePerUidCap_IsRefusedWithAReason_ButRootIsNot()
    {
        var registry = new SessionRegistry();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(registry.TryAdd(NewSession(DaemonHarness.User(1000)), maxConnections: 10, maxPerUid: 3, out _));
        }

        bool fourth = registry.TryAdd(NewSession(DaemonHarness.User(1000)), maxConnections: 10, maxPerUid: 3, out string? reason);
        bool otherUser = registry.TryAdd(NewSession(DaemonHarness.User(2000)), maxConnections: 10, maxPerUid: 3, out _);
        bool root = Enumerable.Range(0, 4).All(_ => registry.TryAdd(NewSession(DaemonHarness.Root), maxConnections: 10, maxPerUid: 3, out string? _));

        Assert.False(fourth);
        Assert.Equal("uid 1000 has 3 connections open", reason);
        Assert.True(otherUser);
        Assert.True(root);
        Assert.Equal(8, registry.Count);
    }

    [Fact]
    public void TryAdd_BeyondTheTotalCap_IsRefused_AndRemoveFreesTheSlot()
    {
        var registry = new SessionRegistry();
        Session first = NewSession(DaemonHarness.User(1000));
        Assert.True(registry.TryAdd(first, maxConnections: 2, maxPerUid: 10, out _));
        Assert.True(registry.TryAdd(NewSession(DaemonHarness.User(2000)), maxConnections: 2, maxPerUid: 10, out _));

        Assert.False(registry.TryAdd(NewSession(DaemonHarness.Root), maxConnections: 2, maxPerUid: 10, out string? reason));
        Assert.Equal("the daemon has 2 connections open", reason);

        registry.Remove(first);
        Assert.True(registry.TryAdd(NewSession(DaemonHarness.Root), maxConnections: 2, maxPerUid: 10, out _));
    }

    [Fact]
    public void Remove_AnAgent_TakesItOutOfTheUidIndex()
    {
        var registry = new SessionRegistry();
        Session agent = NewSession(DaemonHarness.User(1000));
        Assert.True(registry.TryAdd(agent, 10, 10, out _));
        Assert.True(agent.TryMarkRegistered("a1", "stdout", null, null));
        registry.AddAgent(agent);
        Assert.Single(registry.Agents(1000));

        registry.Remove(agent);

        Assert.Empty(registry.Agents(1000));
        Assert.Empty(registry.AgentCounts());
    }

    private static Session NewSession(Caller caller)
    {
        var pipe = new Pipe();
        var connection = new JsonRpcConnection(new HeaderDelimitedTransport(pipe.Reader, pipe.Writer, RpcLimits.Default), null);
        return new Session(caller, connection);
    }
}
