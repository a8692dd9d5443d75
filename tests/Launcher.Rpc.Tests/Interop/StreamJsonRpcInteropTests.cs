using System.Net.Sockets;
using System.Text.Json.Serialization;
using Launcher.Rpc.Tests.Support;
using StreamJsonRpc;

namespace Launcher.Rpc.Tests.Interop;

/// <summary>
/// Our engine against StreamJsonRpc (HeaderDelimitedMessageHandler + SystemTextJsonFormatter, its wire-compatible
/// stack), both ways, over a real Unix socket: named params, results, errors, cancellation and calls back.
/// </summary>
public sealed class StreamJsonRpcInteropTests : IAsyncDisposable
{
    private const int T = 30_000;
    private readonly UnixSockets _sockets = new();
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IDisposable> _rpcs = [];

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        foreach (IDisposable rpc in _rpcs)
        {
            rpc.Dispose();
        }

        _sockets.Dispose();
    }

    [Fact(Timeout = T)]
    public async Task OurClient_TheirServer_NamedParamsAndResult()
    {
        (JsonRpcConnection ours, _) = await OurClientTheirServerAsync(new TheirTarget());

        AddResult result = await ours.InvokeAsync(TestMethods.Add, new AddParams(2, 40));

        Assert.Equal(42, result.Sum);
    }

    [Fact(Timeout = T)]
    public async Task OurClient_TheirServer_ErrorCodeAndMessageArrive()
    {
        (JsonRpcConnection ours, _) = await OurClientTheirServerAsync(new TheirTarget());

        var error = await Assert.ThrowsAsync<RpcException>(() => ours.InvokeAsync(TestMethods.Fail, new FailParams(1234, "no such widget", null)));

        Assert.Equal(1234, error.Code);
        Assert.Equal("no such widget", error.Message);
    }

    [Fact(Timeout = T)]
    public async Task OurClient_TheirServer_CancelRequestCancelsTheirMethod()
    {
        var target = new TheirTarget();
        (JsonRpcConnection ours, _) = await OurClientTheirServerAsync(target);
        using var cancel = new CancellationTokenSource();

        Task<EmptyResult> call = ours.InvokeAsync(TestMethods.Wait, new EmptyParams(), cancel.Token);
        await target.WaitStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await target.WaitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)), "$/cancelRequest reached StreamJsonRpc's method");
    }

    [Fact(Timeout = T)]
    public async Task OurClient_TheirServer_UnknownMethodIsMethodNotFound()
    {
        (JsonRpcConnection ours, _) = await OurClientTheirServerAsync(new TheirTarget());

        var error = await Assert.ThrowsAsync<RpcException>(() => ours.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "x", Count = 1 }));

        Assert.Equal(RpcErrorCodes.MethodNotFound, error.Code);
    }

    [Fact(Timeout = T)]
    public async Task TheirClient_OurServer_NamedParamsAndResult()
    {
        JsonRpc theirs = await TheirClientOurServerAsync(new TestService().Table);

        TheirAddResult result = await theirs.InvokeWithParameterObjectAsync<TheirAddResult>("test/add", new TheirAddParams { A = 20, B = 22 });

        Assert.Equal(42, result.Sum);
    }

    [Fact(Timeout = T)]
    public async Task TheirClient_OurServer_UnknownMethodIsMethodNotFound()
    {
        JsonRpc theirs = await TheirClientOurServerAsync(new TestService().Table);

        await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => theirs.InvokeWithParameterObjectAsync<TheirAddResult>("test/nope", new TheirAddParams()));
    }

    [Fact(Timeout = T)]
    public async Task TheirClient_OurServer_ErrorsCarryCodeAndNoInternals()
    {
        JsonRpc theirs = await TheirClientOurServerAsync(new TestService().Table);

        var failed = await Assert.ThrowsAsync<RemoteInvocationException>(() => theirs.InvokeWithParameterObjectAsync<object>("test/fail", new { code = 4321, message = "denied" }));
        var thrown = await Assert.ThrowsAsync<RemoteInvocationException>(() => theirs.InvokeWithParameterObjectAsync<object>("test/throw", new { }));

        Assert.Equal(4321, failed.ErrorCode);
        Assert.Equal("denied", failed.Message);
        Assert.Equal(RpcErrorCodes.InternalError, thrown.ErrorCode);
        Assert.DoesNotContain("secret detail", thrown.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task TheirClient_OurServer_CancellationReachesOurHandler()
    {
        var service = new TestService();
        JsonRpc theirs = await TheirClientOurServerAsync(service.Table);
        using var cancel = new CancellationTokenSource();

        Task call = theirs.InvokeWithParameterObjectAsync<object>("test/wait", new { }, cancel.Token);
        await service.WaitForStartsAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        for (int i = 0; i < 200 && service.Cancelled == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, service.Cancelled);
    }

    [Fact(Timeout = T)]
    public async Task OurServer_CallsTheirClientBack_OnTheSameConnection()
    {
        // Our server handles test/callback by calling client/add on the connection it came from.
        RpcHandlerTable table = new RpcHandlerTable()
            .Add(TestMethods.NodeCallback, static async (context, p, ct) =>
                await context.Connection.InvokeAsync(TestMethods.ClientAdd, new AddParams(p.A, p.B), ct));
        JsonRpc theirs = await TheirClientOurServerAsync(table, new TheirTarget());

        TheirAddResult result = await theirs.InvokeWithParameterObjectAsync<TheirAddResult>("test/callback", new TheirAddParams { A = 1, B = 2 });

        Assert.Equal(3, result.Sum);
    }

    private async Task<(JsonRpcConnection Ours, JsonRpc Theirs)> OurClientTheirServerAsync(TheirTarget target)
    {
        (Socket server, Socket client) = await _sockets.PairAsync();
        JsonRpc theirs = Their(server, target);
        JsonRpcConnection ours = UnixSockets.Connect(client, null, name: "ours");
        _disposables.Add(ours);
        return (ours, theirs);
    }

    private async Task<JsonRpc> TheirClientOurServerAsync(RpcHandlerTable table, TheirTarget? target = null)
    {
        (Socket server, Socket client) = await _sockets.PairAsync();
        JsonRpcConnection ours = UnixSockets.Connect(server, table, name: "ours");
        _disposables.Add(ours);
        return Their(client, target);
    }

    private JsonRpc Their(Socket socket, TheirTarget? target)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        if (target is not null)
        {
            rpc.AddLocalRpcTarget(target);
        }

        rpc.StartListening();
        _rpcs.Add(rpc);
        return rpc;
    }

    /// <summary>StreamJsonRpc's side of the contracts, written as a StreamJsonRpc user would.</summary>
    public sealed class TheirTarget
    {
        public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [JsonRpcMethod("test/add")]
        public TheirAddResult Add(int a, int b) => new() { Sum = a + b };

        [JsonRpcMethod("client/add")]
        public TheirAddResult ClientAdd(int a, int b) => new() { Sum = a + b };

        [JsonRpcMethod("test/fail")]
        public object Fail(int code, string message) => throw new LocalRpcException(message) { ErrorCode = code };

        [JsonRpcMethod("test/wait")]
        public async Task<object> WaitAsync(CancellationToken cancellationToken)
        {
            WaitStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WaitCancelled.TrySetResult(true);
                throw;
            }

            return new object();
        }
    }

    public sealed class TheirAddParams
    {
        [JsonPropertyName("a")]
        public int A { get; set; }

        [JsonPropertyName("b")]
        public int B { get; set; }
    }

    public sealed class TheirAddResult
    {
        [JsonPropertyName("sum")]
        public int Sum { get; set; }
    }
}
