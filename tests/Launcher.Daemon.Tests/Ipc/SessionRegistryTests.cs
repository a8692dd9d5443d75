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
            Assert.True(registry.TryAdd(NewSession(DaemonHarness.User(1000)), new ConnectionCaps(10, 3, 1), out _));
        }

        bool fourth = registry.TryAdd(NewSession(DaemonHarness.User(1000)), new ConnectionCaps(10, 3, 1), out string? reason);
        bool otherUser = registry.TryAdd(NewSession(DaemonHarness.User(2000)), new ConnectionCaps(10, 3, 1), out _);
        bool root = Enumerable.Range(0, 4).All(_ => registry.TryAdd(NewSession(DaemonHarness.Root), new ConnectionCaps(10, 3, 1), out string? _));

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
        Assert.True(registry.TryAdd(first, new ConnectionCaps(2, 10, 0), out _));
        Assert.True(registry.TryAdd(NewSession(DaemonHarness.User(2000)), new ConnectionCaps(2, 10, 0), out _));

        Assert.False(registry.TryAdd(NewSession(DaemonHarness.Root), new ConnectionCaps(2, 10, 0), out string? reason));
        Assert.Equal("the daemon has 2 connections open", reason);

        registry.Remove(first);
        Assert.True(registry.TryAdd(NewSession(DaemonHarness.Root), new ConnectionCaps(2, 10, 0), out _));
    }

    [Fact]
    public void TryAdd_NonRootUidsFillEverySlotTheyMay_RootStillConnects()
    {
        var registry = new SessionRegistry();
        var caps = new ConnectionCaps(Total: 12, PerUid: 4, AdminReserve: 2);
        int accepted = 0;
        string? lastReason = null;
        foreach (uint uid in new uint[] { 1001, 1002, 1003, 1004 })
        {
            for (int i = 0; i < caps.PerUid; i++)
            {
                accepted += registry.TryAdd(NewSession(DaemonHarness.User(uid)), caps, out string? reason) ? 1 : 0;
                lastReason = reason ?? lastReason;
            }
        }

        bool firstRoot = registry.TryAdd(NewSession(DaemonHarness.Root), caps, out _);
        bool secondRoot = registry.TryAdd(NewSession(DaemonHarness.Root), caps, out _);
        bool thirdRoot = registry.TryAdd(NewSession(DaemonHarness.Root), caps, out string? full);

        Assert.Equal(caps.NonAdminTotal, accepted);
        Assert.Contains("reserved for admins", lastReason, StringComparison.Ordinal);
        Assert.True(firstRoot);
        Assert.True(secondRoot);
        Assert.False(thirdRoot);
        Assert.Equal("the daemon has 12 connections open", full);
    }

    [Theory]
    [InlineData(1_048_576UL, 150, 4096, 1100, 64)]
    [InlineData(400UL, 137, 135, 36, 16)]
    [InlineData(200UL, 150, 1, 1, 1)]
    public void Derive_FromTheDescriptorLimit_ShrinksTheCaps_AndKeepsARootSlot(ulong soft, int open, int total, int perUid, int reserve)
    {
        ConnectionCaps caps = ConnectionCaps.Derive(RpcLimits.Default, soft, open);

        Assert.Equal(new ConnectionCaps(total, perUid, reserve), caps);
        Assert.True(caps.AdminReserve >= 1);
    }

    [Fact]
    public void Remove_AnAgent_TakesItOutOfTheUidIndex()
    {
        var registry = new SessionRegistry();
        Session agent = NewSession(DaemonHarness.User(1000));
        Assert.True(registry.TryAdd(agent, new ConnectionCaps(10, 10, 1), out _));
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
