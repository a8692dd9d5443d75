using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class ConnectionLossTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task PendingCalls_FailWithConnectionLost_WhenThePeerCloses()
    {
        var service = new TestService();
        var pair = new RpcPair(null, service.Table);
        Task first = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams(), timeout: Timeout.InfiniteTimeSpan);
        Task second = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams(), timeout: Timeout.InfiniteTimeSpan);
        await service.WaitForStartsAsync(2);

        await pair.Server.DisposeAsync();

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => first);
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => second);
        await pair.Client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("the peer closed the connection", pair.Client.CloseReason);
        await pair.Client.DisposeAsync();
    }

    [Fact(Timeout = T)]
    public async Task PeerErrorWithoutId_BeforeHangingUp_BecomesTheCloseReason()
    {
        await using var peer = new RawPeer();
        Task call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "x" });
        await peer.ReceiveAsync();

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Connection refused: uid 7 has 3 connections open.\"}}");
        await peer.EndAsync();

        RpcConnectionLostException lost = await Assert.ThrowsAsync<RpcConnectionLostException>(() => call);
        Assert.Contains("uid 7 has 3 connections open", lost.Message, StringComparison.Ordinal);
        Assert.Contains("the peer said", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task PendingCalls_FailWithConnectionLost_WhenThisSideCloses()
    {
        await using var peer = new RawPeer();
        Task call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "x" });
        await peer.ReceiveAsync();

        peer.Connection.Close("test says so");

        RpcConnectionLostException lost = await Assert.ThrowsAsync<RpcConnectionLostException>(() => call);
        Assert.Contains("test says so", lost.Message, StringComparison.Ordinal);
        await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(peer.Connection.Closed.IsCancellationRequested);
    }

    [Fact(Timeout = T)]
    public async Task CallsAndNotifications_AfterClose_ThrowConnectionLost()
    {
        await using var pair = new RpcPair(null, new TestService().Table);
        pair.Client.Close("done");

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 1)));
        await Assert.ThrowsAsync<RpcConnectionLostException>(async () => await pair.Client.NotifyAsync(TestMethods.Tick, new TickParams(1)));
    }

    [Fact(Timeout = T)]
    public async Task HandlersInFlight_AreCancelled_WhenTheConnectionEnds()
    {
        var service = new TestService();
        var pair = new RpcPair(null, service.Table);
        Task<EmptyResult> call = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        await service.WaitForStartsAsync();

        await pair.Client.DisposeAsync();

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => call);

        await CancellationTests.WaitUntilAsync(() => service.Cancelled == 1);
        await pair.Server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await pair.Server.DisposeAsync();
    }

    [Fact(Timeout = T)]
    public async Task Completion_CompletesForANeverStartedConnection()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var connection = new JsonRpcConnection(new HeaderDelimitedTransport(pipe.Reader, pipe.Writer, RpcLimits.Default), null);

        await connection.DisposeAsync();

        Assert.True(connection.Completion.IsCompleted);
        Assert.Equal("disposed", connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task Close_IsIdempotent_AndKeepsTheFirstReason()
    {
        await using var peer = new RawPeer();

        peer.Connection.Close("first");
        peer.Connection.Close("second");

        await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("first", peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task DrainAndClose_LetsCallsInFlightFinish()
    {
        var service = new TestService();
        await using var pair = new RpcPair(null, service.Table);
        Task<EmptyResult> call = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        await service.WaitForStartsAsync();

        Task drain = pair.Server.DrainAndCloseAsync(TimeSpan.FromSeconds(20), "stopping");
        service.Release();
        await drain;

        await call;
        Assert.Equal("stopping", pair.Server.CloseReason);
    }
}
