using System.Net.Sockets;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests.Interop;

/// <summary>vscode-jsonrpc as the client, our engine as the server, over a real Unix socket.</summary>
public sealed class TheirClientOurServerTests
{
    private const int T = 60_000;

    private static readonly RpcMethod<EmptyParams, EmptyResult> s_wait = new("test/wait", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);

    [NodeFact(Timeout = T)]
    public async Task TheirScriptedClient_GetsTheRightAnswers()
    {
        using var sockets = new UnixSockets();
        using Socket listener = sockets.Listen();
        int cancelled = 0;
        var logger = new TestLogger();
        RpcHandlerTable table = new RpcHandlerTable()
            .Add(TestMethods.Echo, static (_, p, _) => ValueTask.FromResult(new EchoResult(p.Text, p.Count)))
            .Add(TestMethods.Fail, static (_, p, _) => throw new RpcException(p.Code, p.Message, p.Data))
            .Add(TestMethods.Throw, static (_, _, _) => throw new InvalidOperationException("secret"))
            .Add(TestMethods.NodeCallback, static async (context, p, ct) =>
                new AddResult((await context.Connection.InvokeAsync(TestMethods.ClientAdd, p, ct)).Sum))
            .Add(s_wait, async (context, _, ct) =>
            {
                await context.Connection.NotifyAsync(TestMethods.ServerStarted, new EmptyParams(), ct);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }

                return new EmptyResult();
            })
            .AddNotification(TestMethods.ClientPing, static async (context, p, ct) =>
                await context.Connection.NotifyAsync(TestMethods.ServerPong, new TextParams("pong:" + p.Text), ct));
        await using NodeHarness node = NodeHarness.Start("client", sockets.Path);
        Socket accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await using var server = new JsonRpcConnection(new HeaderDelimitedTransport(new NetworkStream(accepted, ownsSocket: true), RpcLimits.Default), table, logger: logger) { Name = "server" };
        server.Start();

        Assert.Equal(0, await node.WaitForExitAsync());

        JsonElement echo = Result(await node.StepAsync("echo"));
        Assert.Equal("h\u00e9llo \u4e16", echo.GetProperty("text").GetString());
        Assert.Equal(3, echo.GetProperty("count").GetInt32());
        Assert.Equal("pos", Result(await node.StepAsync("echoPositional")).GetProperty("text").GetString());
        JsonElement fail = Error(await node.StepAsync("fail"), 4001);
        Assert.Equal("nope", fail.GetProperty("message").GetString());
        Assert.Equal("{\"reason\":\"because\",\"n\":7}", fail.GetProperty("data").GetRawText());
        Error(await node.StepAsync("unknown"), RpcErrorCodes.MethodNotFound);
        JsonElement badParams = Error(await node.StepAsync("badParams"), RpcErrorCodes.InvalidParams);
        MessageTests.AssertNoDotNetDetails(badParams.GetRawText());
        JsonElement internalError = Error(await node.StepAsync("internal"), RpcErrorCodes.InternalError);
        Assert.StartsWith("Internal error (incident ", internalError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", internalError.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(42, Result(await node.StepAsync("callback")).GetProperty("sum").GetInt32());
        Assert.Equal("pong:hi", Result(await node.StepAsync("notify")).GetProperty("text").GetString());
        Error(await node.StepAsync("cancel"), RpcErrorCodes.RequestCancelled);
        Assert.Equal(1, Volatile.Read(ref cancelled));
        Assert.Equal("still", Result(await node.StepAsync("afterCancel")).GetProperty("text").GetString());
        Assert.DoesNotContain(node.Lines, l => l.TryGetProperty("event", out JsonElement e) && e.GetString() == "error");
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("the peer closed the connection", server.CloseReason);
    }

    [NodeFact(Timeout = T)]
    public async Task MalformedMessagesFromTheirSide_AreAnsweredInAFormTheirReaderParses()
    {
        using var sockets = new UnixSockets();
        using Socket listener = sockets.Listen();
        await using NodeHarness node = NodeHarness.Start("raw", sockets.Path);
        Socket accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await using var server = new JsonRpcConnection(new HeaderDelimitedTransport(new NetworkStream(accepted, ownsSocket: true), RpcLimits.Default), new TestService().Table) { Name = "server" };
        server.Start();

        Assert.Equal(0, await node.WaitForExitAsync());

        List<JsonElement> replies = node.Lines.Where(l => l.TryGetProperty("message", out _)).Select(l => l.GetProperty("message")).ToList();
        Assert.True(replies.Count == 6, "Replies: " + string.Join(" | ", replies.Select(r => r.GetRawText())) + " stderr: " + node.Stderr);
        Assert.Equal(RpcErrorCodes.ParseError, Code(replies[0]));
        Assert.Equal(RpcErrorCodes.InvalidRequest, Code(replies[1]));
        Assert.Equal(RpcErrorCodes.InvalidRequest, Code(replies[2]));
        Assert.Equal(3, replies[2].GetProperty("id").GetInt32());
        Assert.Equal(RpcErrorCodes.InvalidRequest, Code(replies[3]));
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(replies[4]));
        Assert.Equal("s-5", replies[4].GetProperty("id").GetString());
        Assert.Equal("last", replies[5].GetProperty("id").GetString());
        Assert.Equal(9, replies[5].GetProperty("result").GetProperty("count").GetInt32());
        Assert.Null(server.CloseReason is { } reason && !reason.Contains("peer closed", StringComparison.Ordinal) ? reason : null);
    }

    private static JsonElement Result(JsonElement line)
    {
        Assert.True(line.TryGetProperty("result", out JsonElement result), line.GetRawText());
        return result;
    }

    private static JsonElement Error(JsonElement line, int code)
    {
        Assert.True(line.TryGetProperty("error", out JsonElement error), line.GetRawText());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        return error;
    }

    private static int Code(JsonElement message) => message.GetProperty("error").GetProperty("code").GetInt32();
}
