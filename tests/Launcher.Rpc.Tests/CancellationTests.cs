using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class CancellationTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task CallersToken_CancelsTheCalleesHandler_ViaCancelRequest()
    {
        var service = new TestService();
        await using var pair = new RpcPair(null, service.Table);
        using var cts = new CancellationTokenSource();

        Task call = pair.Client.InvokeAsync(TestMethods.Wait, new EmptyParams(), cts.Token);
        await service.WaitForStartsAsync();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await WaitUntilAsync(() => service.Cancelled == 1);
        Assert.Null(pair.Client.CloseReason);
        Assert.Equal(3, (await pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 2))).Sum);
    }

    [Fact(Timeout = T)]
    public async Task CancelRequest_ForARunningCall_IsAnsweredWithRequestCancelled()
    {
        var service = new TestService();
        await using var peer = new RawPeer(service.Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"w1\",\"method\":\"test/wait\",\"params\":{}}");
        await service.WaitForStartsAsync();
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"w1\"}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.RequestCancelled, "\"w1\"");
        Assert.Equal(1, service.Cancelled);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task CancelRequest_WithNumericId_MatchesOnlyThatCall()
    {
        var service = new TestService();
        await using var peer = new RawPeer(service.Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/wait\"}");
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"test/wait\"}");
        await service.WaitForStartsAsync(2);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.RequestCancelled, "1");
        service.Release();
        JsonElement other = (await peer.ReceiveAsync())!.Value;
        Assert.Equal("\"1\"", other.GetProperty("id").GetRawText());
        Assert.True(other.TryGetProperty("result", out _));
    }

    [Fact(Timeout = T)]
    public async Task HandlerThatIgnoresItsToken_StillAnswersWithItsResult()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubborn = new RpcMethod<EmptyParams, DoneResult>("test/stubborn", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.DoneResult);
        RpcHandlerTable table = new RpcHandlerTable().Add(stubborn, async (_, _, _) =>
        {
            started.TrySetResult();
            await gate.Task;
            return new DoneResult(true);
        });
        await using var peer = new RawPeer(table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/stubborn\"}");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");
        gate.SetResult();

        JsonElement reply = (await peer.ReceiveAsync())!.Value;
        Assert.True(reply.GetProperty("result").GetProperty("done").GetBoolean());
    }

    [Fact(Timeout = T)]
    public async Task CallTimeout_ThrowsRpcTimeoutException_AndSendsCancelRequest()
    {
        var time = new ManualTimeProvider();
        await using var peer = new RawPeer(time: time);

        Task<EchoResult> call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "t" }, timeout: TimeSpan.FromSeconds(5));
        JsonElement request = (await peer.ReceiveAsync())!.Value;
        long id = request.GetProperty("id").GetInt64();
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        RpcTimeoutException timeout = await Assert.ThrowsAsync<RpcTimeoutException>(() => call);
        Assert.Equal("test/echo", timeout.Method);
        Assert.Contains("5 s", timeout.Message, StringComparison.Ordinal);
        JsonElement cancel = (await peer.ReceiveAsync())!.Value;
        Assert.Equal("$/cancelRequest", cancel.GetProperty("method").GetString());
        Assert.Equal(id, cancel.GetProperty("params").GetProperty("id").GetInt64());
        Assert.False(cancel.TryGetProperty("id", out _));
    }

    [Fact(Timeout = T)]
    public async Task CallTimeout_DefaultsToTheLimit()
    {
        var time = new ManualTimeProvider();
        await using var peer = new RawPeer(time: time, limits: new RpcLimits { CallTimeout = TimeSpan.FromSeconds(30), FirstMessageTimeout = TimeSpan.FromHours(1) });

        Task<EchoResult> call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "t" });
        await peer.ReceiveAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted, call.Exception?.ToString() + " " + peer.Connection.CloseReason);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<RpcTimeoutException>(() => call);
    }

    [Fact(Timeout = T)]
    public async Task LateResponse_AfterATimeout_IsIgnored()
    {
        var time = new ManualTimeProvider();
        await using var peer = new RawPeer(new TestService().Table, time: time);

        Task<EchoResult> call = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "t" }, timeout: TimeSpan.FromSeconds(1));
        long id = (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt64();
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<RpcTimeoutException>(() => call);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"text\":\"late\",\"count\":0}}");

        await peer.ReceiveAsync(); // the $/cancelRequest
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task AlreadyCancelledToken_ThrowsWithoutSending()
    {
        await using var peer = new RawPeer(new TestService().Table);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "t" }, cts.Token));

        await peer.AssertStillServesAsync();
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "The condition never became true.");
            await Task.Delay(5);
        }
    }
}
