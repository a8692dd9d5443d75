using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests.Interop;

/// <summary>Our engine as the client, vscode-jsonrpc as the server, over a real Unix socket.</summary>
public sealed class OurClientTheirServerTests : IAsyncLifetime
{
    private const int T = 60_000;

    private readonly UnixSockets _sockets = new();
    private readonly ConcurrentQueue<int> _ticks = new();
    private readonly SemaphoreSlim _tickArrived = new(0);
    private readonly TaskCompletionSource<string> _pong = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NodeHarness? _node;
    private JsonRpcConnection? _client;

    private JsonRpcConnection Client => _client ?? throw new InvalidOperationException("Not connected.");

    public async Task InitializeAsync()
    {
        if (NodeHarness.WhatIsMissing() is not null && !NodeHarness.IsCi)
        {
            return; // The test is skipped.
        }

        try
        {
            _node = NodeHarness.Start("server", _sockets.Path);
            await _node.WaitForEventAsync("listening");
        }
        catch (Exception)
        {
            // xunit does not call DisposeAsync when InitializeAsync fails.
            await DisposeAsync();
            throw;
        }

        Socket socket = await _sockets.ConnectAsync();
        RpcHandlerTable table = new RpcHandlerTable()
            .Add(TestMethods.ClientAdd, static (_, p, _) => ValueTask.FromResult(new AddResult(p.A + p.B)))
            .AddNotification(TestMethods.ServerTick, (_, p, _) =>
            {
                _ticks.Enqueue(p.N);
                _tickArrived.Release();
                return ValueTask.CompletedTask;
            })
            .AddNotification(TestMethods.ServerStarted, (_, _, _) =>
            {
                _started.TrySetResult();
                return ValueTask.CompletedTask;
            })
            .AddNotification(TestMethods.ServerPong, (_, p, _) =>
            {
                _pong.TrySetResult(p.Text);
                return ValueTask.CompletedTask;
            });
        _client = UnixSockets.Connect(socket, table, name: "client");
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _sockets.Dispose();
    }

    [NodeFact(Timeout = T)]
    public async Task NamedParams_RoundTrip()
    {
        EchoResult result = await Client.InvokeAsync(TestMethods.NodeEcho, new EchoParams { Text = "h\u00e9llo \u4e16 \"q\"", Count = 3 });

        Assert.Equal("h\u00e9llo \u4e16 \"q\"", result.Text);
        Assert.Equal(3, result.Count);
    }

    [NodeFact(Timeout = T)]
    public async Task TheirErrors_ArriveWithCodeMessageAndData()
    {
        JsonElement data = TestService.Json("{\"reason\":\"because\",\"n\":7,\"list\":[true,null]}");

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Client.InvokeAsync(TestMethods.NodeFail, new FailParams(4001, "nope", data)));

        Assert.Equal(4001, error.Code);
        Assert.Equal("nope", error.Message);
        Assert.True(JsonElement.DeepEquals(data, error.ErrorData!.Value), error.ErrorData?.GetRawText());
    }

    [NodeFact(Timeout = T)]
    public async Task UnknownMethod_IsMethodNotFound()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Client.InvokeAsync(TestMethods.Add, new AddParams(1, 2)));

        Assert.Equal(RpcErrorCodes.MethodNotFound, error.Code);
    }

    [NodeFact(Timeout = T)]
    public async Task TheirServer_CanCallOurClient_DuringACall()
    {
        AddResult result = await Client.InvokeAsync(TestMethods.NodeCallback, new AddParams(2, 40));

        Assert.Equal(42, result.Sum);
    }

    [NodeFact(Timeout = T)]
    public async Task NotificationsBothWays_ArriveInOrder()
    {
        CountResult sent = await Client.InvokeAsync(TestMethods.NodeNotifyMe, new CountParams(5));
        await Client.NotifyAsync(TestMethods.ClientPing, new TextParams("hi"));

        Assert.Equal(5, sent.Count);
        var ticks = new List<int>();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(await _tickArrived.WaitAsync(TimeSpan.FromSeconds(10)), "A tick never arrived.");
            Assert.True(_ticks.TryDequeue(out int n));
            ticks.Add(n);
        }

        Assert.Equal([0, 1, 2, 3, 4], ticks);
        Assert.Equal("pong:hi", await _pong.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [NodeFact(Timeout = T)]
    public async Task CancellingOurCall_CancelsTheirHandler_ViaCancelRequest()
    {
        using var cts = new CancellationTokenSource();
        Task<DoneResult> call = Client.InvokeAsync(TestMethods.NodeSlow, new SlowParams(60_000), cts.Token);
        await _started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await _node!.WaitForEventAsync("cancelled");
        Assert.Equal(1, (await Client.InvokeAsync(TestMethods.NodeCancelCount, new EmptyParams())).Count);
    }

    [NodeFact(Timeout = T)]
    public async Task OurCallTimeout_SendsCancelRequest_ToTheirServer()
    {
        await Assert.ThrowsAsync<RpcTimeoutException>(() => Client.InvokeAsync(TestMethods.NodeSlow, new SlowParams(60_000), timeout: TimeSpan.FromMilliseconds(300)));

        await _node!.WaitForEventAsync("cancelled");
        Assert.Equal(1, (await Client.InvokeAsync(TestMethods.NodeCancelCount, new EmptyParams())).Count);
    }

    [NodeFact(Timeout = T)]
    public async Task TheirServerHangingUp_FailsOurPendingCall()
    {
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => Client.InvokeAsync(TestMethods.NodeHangUp, new EmptyParams(), timeout: Timeout.InfiniteTimeSpan));

        await Client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [NodeFact(Timeout = T)]
    public async Task ManyConcurrentCalls_AllComplete()
    {
        Task<EchoResult>[] calls = Enumerable.Range(0, 200)
            .Select(i => Client.InvokeAsync(TestMethods.NodeEcho, new EchoParams { Text = "m" + i, Count = i }))
            .ToArray();

        EchoResult[] results = await Task.WhenAll(calls);

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal("m" + i, results[i].Text);
        }
    }
}
