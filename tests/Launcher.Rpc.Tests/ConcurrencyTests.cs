using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class ConcurrencyTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task AThousandConcurrentCalls_OnOneConnection_AllGetTheirOwnResults()
    {
        var limits = new RpcLimits { MaxRequestsInFlight = 2000, MaxOutgoingCallsInFlight = 2000 };
        await using var pair = new RpcPair(null, new TestService().Table, clientLimits: limits, serverLimits: limits);

        Task<AddResult>[] calls = Enumerable.Range(0, 1000)
            .Select(i => Task.Run(() => pair.Client.InvokeAsync(i % 2 == 0 ? TestMethods.Add : TestMethods.AddAsync, new AddParams(i, i * 1000))))
            .ToArray();
        AddResult[] results = await Task.WhenAll(calls);

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(i * 1001, results[i].Sum);
        }
    }

    [Fact(Timeout = T)]
    public async Task PipelinedRequests_WrittenAtOnce_AreAllAnswered()
    {
        await using var peer = new RawPeer(new TestService().Table, new RpcLimits { MaxRequestsInFlight = 1000 });
        var all = new List<byte>();
        for (int i = 0; i < 500; i++)
        {
            string method = i % 3 == 0 ? "test/addAsync" : "test/add";
            all.AddRange(RawPeer.Frame($"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"{method}\",\"params\":{{\"a\":{i},\"b\":1}}}}"));
        }

        await peer.SendRawAsync(all.ToArray());

        var seen = new HashSet<long>();
        for (int i = 0; i < 500; i++)
        {
            JsonElement reply = (await peer.ReceiveAsync())!.Value;
            long id = reply.GetProperty("id").GetInt64();
            Assert.Equal(id + 1, reply.GetProperty("result").GetProperty("sum").GetInt64());
            Assert.True(seen.Add(id));
        }
    }

    [Fact(Timeout = T)]
    public async Task ErrorReply_QueuedBehindAnotherWrite_IsStillFlushed()
    {
        // Regression: a reply produced on the read loop while another write held the lock was left unflushed,
        // and the peer waited forever for it.
        GatedTransport? gated = null;
        await using var peer = new RawPeer(new TestService().Table, wrap: t => gated = new GatedTransport(t, holdFirstFlush: true));
        await gated!.WaitForReadLoopIdleAsync();
        ValueTask notify = peer.Connection.NotifyAsync(TestMethods.Tick, new TickParams(7));
        await gated.FlushEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,");
        await gated.WaitForReadLoopIdleAsync();
        gated.OpenGate();
        await notify;

        JsonElement tick = (await peer.ReceiveAsync())!.Value;
        Assert.Equal("test/tick", tick.GetProperty("method").GetString());
        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
    }

    [Fact(Timeout = T)]
    public async Task SyncReply_QueuedBehindAnotherWrite_IsStillFlushed()
    {
        GatedTransport? gated = null;
        await using var peer = new RawPeer(new TestService().Table, wrap: t => gated = new GatedTransport(t, holdFirstFlush: true));
        await gated!.WaitForReadLoopIdleAsync();
        ValueTask notify = peer.Connection.NotifyAsync(TestMethods.Tick, new TickParams(7));
        await gated.FlushEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\",\"params\":{\"a\":1,\"b\":2}}");
        await gated.WaitForReadLoopIdleAsync();
        gated.OpenGate();
        await notify;

        Assert.Equal("test/tick", (await peer.ReceiveAsync())!.Value.GetProperty("method").GetString());
        Assert.Equal(3, (await peer.ReceiveAsync())!.Value.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Fact(Timeout = T)]
    public async Task ConcurrentNotificationsAndCalls_FromManyThreads_AllArrive()
    {
        var serverService = new TestService();
        await using var pair = new RpcPair(null, serverService.Table, serverLimits: new RpcLimits { MaxRequestsInFlight = 1000 });

        Task[] work = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await pair.Client.NotifyAsync(TestMethods.Tick, new TickParams(i));
            Assert.Equal(i + 1, (await pair.Client.InvokeAsync(TestMethods.AddAsync, new AddParams(i, 1))).Sum);
        })).ToArray();
        await Task.WhenAll(work);

        var ticks = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            ticks.Add(await serverService.WaitForTickAsync());
        }

        Assert.Equal(200, ticks.Count);
    }
}
