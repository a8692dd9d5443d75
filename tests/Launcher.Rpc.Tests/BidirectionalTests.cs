using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class BidirectionalTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task BothSides_CallEachOtherConcurrently()
    {
        var clientService = new TestService();
        var serverService = new TestService();
        await using var pair = new RpcPair(clientService.Table, serverService.Table);

        var calls = new List<Task<AddResult>>();
        for (int i = 0; i < 50; i++)
        {
            calls.Add(pair.Client.InvokeAsync(TestMethods.AddAsync, new AddParams(i, 1)));
            calls.Add(pair.Server.InvokeAsync(TestMethods.AddAsync, new AddParams(i, 2)));
        }

        AddResult[] results = await Task.WhenAll(calls);

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i + 1, results[2 * i].Sum);
            Assert.Equal(i + 2, results[(2 * i) + 1].Sum);
        }
    }

    [Fact(Timeout = T)]
    public async Task AHandler_CanCallBackIntoItsCaller_OnTheSameConnection()
    {
        var callback = new RpcMethod<AddParams, AddResult>("test/viaCallback", TestJsonContext.Default.AddParams, TestJsonContext.Default.AddResult);
        RpcHandlerTable serverTable = new RpcHandlerTable().Add(callback, static async (context, p, ct) =>
        {
            AddResult inner = await context.Connection.InvokeAsync(TestMethods.ClientAdd, new AddParams(p.A, p.B), ct);
            return new AddResult(inner.Sum * 10);
        });
        await using var pair = new RpcPair(new TestService().Table, serverTable);

        AddResult result = await pair.Client.InvokeAsync(callback, new AddParams(2, 3));

        Assert.Equal(50, result.Sum);
    }

    [Fact(Timeout = T)]
    public async Task Notifications_TravelBothWays()
    {
        var clientService = new TestService();
        var serverService = new TestService();
        await using var pair = new RpcPair(clientService.Table, serverService.Table);

        await pair.Client.NotifyAsync(TestMethods.Tick, new TickParams(1));
        await pair.Server.NotifyAsync(TestMethods.Tick, new TickParams(2));

        Assert.Equal(1, await serverService.WaitForTickAsync());
        Assert.Equal(2, await clientService.WaitForTickAsync());
    }

    [Fact(Timeout = T)]
    public async Task NotificationHandler_CanNotifyBack()
    {
        var pong = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        RpcHandlerTable clientTable = new RpcHandlerTable().AddNotification(TestMethods.ServerPong, (_, p, _) =>
        {
            pong.TrySetResult(p.Text);
            return ValueTask.CompletedTask;
        });
        await using var pair = new RpcPair(clientTable, new TestService().Table);

        await pair.Client.NotifyAsync(TestMethods.Ping, new TextParams("hello"));

        Assert.Equal("pong:hello", await pong.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact(Timeout = T)]
    public async Task RpcExceptionData_TravelsIntact_BetweenTwoEngines()
    {
        await using var pair = new RpcPair(null, new TestService().Table);
        var data = TestService.Json("{\"reason\":\"because\",\"items\":[1,2,{\"deep\":null}],\"text\":\"h\u00e9\"}");

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => pair.Client.InvokeAsync(TestMethods.Fail, new FailParams(4001, "Nope: try again.", data)));

        Assert.Equal(4001, error.Code);
        Assert.Equal("Nope: try again.", error.Message);
        Assert.NotNull(error.ErrorData);
        Assert.True(System.Text.Json.JsonElement.DeepEquals(data, error.ErrorData.Value));
    }

    [Fact(Timeout = T)]
    public async Task CallingAMethodThePeerDoesNotServe_IsMethodNotFound()
    {
        await using var pair = new RpcPair(null, null);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 2)));

        Assert.Equal(RpcErrorCodes.MethodNotFound, error.Code);
    }

    [Fact(Timeout = T)]
    public async Task ResultOfTheWrongShape_FailsTheCallNotTheConnection()
    {
        var wrongShape = new RpcMethod<EchoParams, MistypedEchoResult>("test/echo", TestJsonContext.Default.EchoParams, TestJsonContext.Default.MistypedEchoResult);
        await using var pair = new RpcPair(null, new TestService().Table);

        // The peer answers {"text":"a","count":1}; a number where this side expects a string fails the call only.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => pair.Client.InvokeAsync(wrongShape, new EchoParams { Text = "a", Count = 1 }));
        Assert.Contains("$.count", error.Message, StringComparison.Ordinal);

        Assert.Equal(3, (await pair.Client.InvokeAsync(TestMethods.Add, new AddParams(1, 2))).Sum);
        Assert.Null(pair.Client.CloseReason);
    }
}
