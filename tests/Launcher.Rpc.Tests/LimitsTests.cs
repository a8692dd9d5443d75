using System.IO.Pipelines;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class LimitsTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task MaxRequestsInFlight_RefusesTheExcess_WhileTheOthersComplete()
    {
        var service = new TestService();
        var limits = new RpcLimits { MaxRequestsInFlight = 2 };
        await using var pair = new RpcPair(null, service.Table, serverLimits: limits);

        Task<EmptyResult> first = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        Task<EmptyResult> second = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        await service.WaitForStartsAsync(2);
        RpcException busy = await Assert.ThrowsAsync<RpcException>(() => pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams()));
        service.Release();

        Assert.Equal(RpcErrorCodes.ServerBusy, busy.Code);
        await first;
        await second;
        Assert.Equal(3, (await pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 2))).Sum);
    }

    [Fact(Timeout = T)]
    public async Task MaxOutgoingCallsInFlight_RefusesTheExcessLocally()
    {
        var service = new TestService();
        var limits = new RpcLimits { MaxOutgoingCallsInFlight = 2 };
        await using var pair = new RpcPair(null, service.Table, clientLimits: limits);

        Task<EmptyResult> first = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        Task<EmptyResult> second = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams());
        await service.WaitForStartsAsync(2);
        RpcException busy = await Assert.ThrowsAsync<RpcException>(() => pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 1)));
        service.Release();

        Assert.Equal(RpcErrorCodes.ServerBusy, busy.Code);
        await first;
        await second;
        Assert.Equal(2, (await pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 1))).Sum);
    }

    [Fact(Timeout = T)]
    public async Task FirstMessageDeadline_ClosesASilentConnection()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { FirstMessageTimeout = TimeSpan.FromSeconds(10) };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Null(peer.Connection.CloseReason);
        time.Advance(TimeSpan.FromSeconds(0.1));

        await peer.AssertClosesAsync();
        Assert.Contains("no complete message", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task FirstMessageDeadline_Infinite_NeverClosesAQuietClient()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { FirstMessageTimeout = Timeout.InfiniteTimeSpan, IdleTimeout = null };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);

        time.Advance(TimeSpan.FromDays(1));

        Assert.Null(peer.Connection.CloseReason);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task FirstMessageDeadline_IsNotMetByAPartialMessage()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { FirstMessageTimeout = TimeSpan.FromSeconds(10) };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);

        await peer.SendRawAsync("Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        time.Advance(TimeSpan.FromSeconds(10));

        await peer.AssertClosesAsync();
        Assert.Contains("no complete message", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task IdleDeadline_ClosesAnIdleConnection_NotBefore()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = TimeSpan.FromMinutes(5) };
        GatedTransport? gated = null;
        await using var peer = new RawPeer(new TestService().Table, limits, time: time, wrap: t => gated = new GatedTransport(t, holdFirstFlush: false));
        await gated!.WaitForReadLoopIdleAsync();

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/tick\",\"params\":{\"n\":1}}");
        await gated.WaitForReadLoopIdleAsync();
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Null(peer.Connection.CloseReason);
        time.Advance(TimeSpan.FromTicks(1));

        await peer.AssertClosesAsync();
        Assert.Contains("idle", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task IdleDeadline_StartsAgainWithEachMessage()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = TimeSpan.FromSeconds(60) };
        GatedTransport? gated = null;
        await using var peer = new RawPeer(new TestService().Table, limits, time: time, wrap: t => gated = new GatedTransport(t, holdFirstFlush: false));
        await gated!.WaitForReadLoopIdleAsync();

        for (int i = 0; i < 5; i++)
        {
            await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/tick\",\"params\":{\"n\":1}}");
            await gated.WaitForReadLoopIdleAsync();
            time.Advance(TimeSpan.FromSeconds(59));
        }

        Assert.Null(peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task IdleDeadline_DoesNotCloseWithAnIncomingCallInFlight()
    {
        var time = new ManualTimeProvider();
        var service = new TestService();
        var limits = new RpcLimits { IdleTimeout = TimeSpan.FromSeconds(30) };
        await using var peer = new RawPeer(service.Table, limits, time: time);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/wait\"}");
        await service.WaitForStartsAsync();
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Null(peer.Connection.CloseReason);
        service.Release();
        Assert.Equal(1, (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt32());
        await AdvanceUntilClosedAsync(time, peer.Connection, TimeSpan.FromSeconds(30));
    }

    [Fact(Timeout = T)]
    public async Task IdleDeadline_DoesNotCloseWithAnOutgoingCallInFlight()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = TimeSpan.FromSeconds(30), FirstMessageTimeout = TimeSpan.FromSeconds(30) };
        await using var peer = new RawPeer(limits: limits, time: time);

        Task<EchoResult> call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "x" }, timeout: Timeout.InfiniteTimeSpan);
        JsonElement request = (await peer.ReceiveAsync())!.Value;
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Null(peer.Connection.CloseReason);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + request.GetProperty("id").GetRawText() + ",\"result\":{\"text\":\"x\",\"count\":0}}");
        Assert.Equal("x", (await call).Text);
    }

    [Fact(Timeout = T)]
    public async Task IdleTimeoutNull_DisablesTheIdleDeadline()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = null };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);

        await peer.AssertStillServesAsync();
        time.Advance(TimeSpan.FromDays(30));

        Assert.Null(peer.Connection.CloseReason);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task IdleTimeoutProperty_CanDisableThenReenableTheDeadline()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = TimeSpan.FromSeconds(10) };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);
        await peer.AssertStillServesAsync();

        peer.Connection.IdleTimeout = null;
        time.Advance(TimeSpan.FromHours(1));
        Assert.Null(peer.Connection.CloseReason);
        peer.Connection.IdleTimeout = TimeSpan.FromSeconds(10);

        await AdvanceUntilClosedAsync(time, peer.Connection, TimeSpan.FromSeconds(10));
        Assert.Contains("idle", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task APeerThatNeverReads_MakesWritesTimeOut_AndTheConnectionCloses()
    {
        var limits = new RpcLimits { WriteTimeout = TimeSpan.FromMilliseconds(200) };
        var tinyPipe = new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512);
        await using var peer = new RawPeer(new TestService().Table, limits, replyPipe: tinyPipe);

        // The reply (10 kB) is more than the pipe holds before the writer must wait for the reader.
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/blob\",\"params\":{\"count\":10000}}");

        await peer.AssertClosesAsync();
        Assert.Equal("write timeout", peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task WriteTimeout_RunsOnTheConnectionsClock()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { WriteTimeout = TimeSpan.FromSeconds(10), FirstMessageTimeout = TimeSpan.FromHours(1) };
        var tinyPipe = new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512);
        await using var peer = new RawPeer(new TestService().Table, limits, time: time, replyPipe: tinyPipe);

        ValueTask notify = peer.Connection.NotifyAsync(TestMethods.Ping, new TextParams(new string('p', 10_000)));
        Assert.False(notify.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(peer.Connection.CloseReason);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<RpcConnectionLostException>(async () => await notify);
        Assert.Equal("write timeout", peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task APeerThatNeverReads_FailsOutgoingNotificationsWithConnectionLost()
    {
        var limits = new RpcLimits { WriteTimeout = TimeSpan.FromMilliseconds(200) };
        var tinyPipe = new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512);
        await using var peer = new RawPeer(new TestService().Table, limits, replyPipe: tinyPipe);

        await Assert.ThrowsAsync<RpcConnectionLostException>(async () => await peer.Connection.NotifyAsync(TestMethods.Ping, new TextParams(new string('p', 10_000))));

        await peer.AssertClosesAsync();
        Assert.Equal("write timeout", peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task APeerThatNeverReads_FailsOutgoingCallsWithConnectionLost()
    {
        var limits = new RpcLimits { WriteTimeout = TimeSpan.FromMilliseconds(200) };
        var tinyPipe = new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512);
        await using var peer = new RawPeer(new TestService().Table, limits, replyPipe: tinyPipe);

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = new string('p', 10_000) }));

        await peer.AssertClosesAsync();
    }

    private static async Task AdvanceUntilClosedAsync(ManualTimeProvider time, JsonRpcConnection connection, TimeSpan step)
    {
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (connection.CloseReason is null)
        {
            Assert.True(DateTime.UtcNow < giveUp, "The connection never closed.");
            time.Advance(step);
            await Task.Delay(5);
        }
    }
}
