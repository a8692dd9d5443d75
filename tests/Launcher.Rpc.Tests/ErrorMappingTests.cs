using System.Text.Json;
using System.Text.RegularExpressions;
using Launcher.Rpc.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Launcher.Rpc.Tests;

public sealed partial class ErrorMappingTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task RpcException_TravelsWithCodeMessageAndData()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/fail\",\"params\":{\"code\":-32001,\"message\":\"Only root may.\",\"data\":{\"retry\":false,\"list\":[1,\"a\"]}}}");

        JsonElement reply = await peer.ExpectErrorAsync(-32001, "1");
        JsonElement error = reply.GetProperty("error");
        Assert.Equal("Only root may.", error.GetProperty("message").GetString());
        Assert.Equal("{\"retry\":false,\"list\":[1,\"a\"]}", error.GetProperty("data").GetRawText());
    }

    [Fact(Timeout = T)]
    public async Task RpcException_WithoutData_HasNoDataMember()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/fail\",\"params\":{\"code\":5,\"message\":\"m\"}}");

        JsonElement reply = await peer.ExpectErrorAsync(5, "1");
        Assert.False(reply.GetProperty("error").TryGetProperty("data", out _));
    }

    [Fact(Timeout = T)]
    public async Task UnexpectedException_IsAGenericInternalError_WithAnIncidentThatIsLogged()
    {
        var logger = new TestLogger();
        await using var peer = new RawPeer(new TestService().Table, logger: logger);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/throw\",\"params\":{}}");

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.InternalError, "1");
        string wire = reply.GetRawText();
        string message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Match incident = IncidentPattern().Match(message);
        Assert.True(incident.Success, message);
        Assert.False(reply.GetProperty("error").TryGetProperty("data", out _));
        MessageTests.AssertNoDotNetDetails(wire);
        Assert.DoesNotContain("secret", wire, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", wire, StringComparison.Ordinal);

        LogEntry logged = await logger.WaitForAsync(e => e.EventId == 4);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(incident.Groups[1].Value, logged.Message, StringComparison.Ordinal);
        Assert.Contains("test/throw", logged.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact(Timeout = T)]
    public async Task UnexpectedException_InAnAsyncHandler_IsAlsoGeneric()
    {
        var method = new RpcMethod<EmptyParams, EmptyResult>("test/asyncThrow", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);
        RpcHandlerTable table = new RpcHandlerTable().Add(method, static async (_, _, _) =>
        {
            await Task.Yield();
            throw new FileNotFoundException("/etc/secret/path not found");
        });
        await using var peer = new RawPeer(table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/asyncThrow\"}");

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.InternalError, "1");
        Assert.DoesNotContain("/etc", reply.GetRawText(), StringComparison.Ordinal);
        Assert.Matches(IncidentPattern(), reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact(Timeout = T)]
    public async Task OperationCanceled_NotCausedByTheCaller_IsAnInternalError()
    {
        var method = new RpcMethod<EmptyParams, EmptyResult>("test/ownTimeout", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);
        RpcHandlerTable table = new RpcHandlerTable().Add(method, static (_, _, _) => throw new TaskCanceledException("an HttpClient timed out"));
        await using var peer = new RawPeer(table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/ownTimeout\"}");

        await peer.ExpectErrorAsync(RpcErrorCodes.InternalError, "1");
    }

    [Fact(Timeout = T)]
    public async Task ResultTooLargeForTheLimit_IsAnInternalError_AndTheConnectionSurvives()
    {
        var limits = new RpcLimits { MaxMessageBytes = 4096 };
        await using var peer = new RawPeer(new TestService().Table, limits);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/blob\",\"params\":{\"count\":10000}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.InternalError, "1");
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task FailingNotificationHandler_IsLogged_AndNeverAnswered()
    {
        var logger = new TestLogger();
        var boom = new RpcNotificationMethod<TickParams>("test/boom", TestJsonContext.Default.TickParams);
        RpcHandlerTable table = new TestService().Table.AddNotification(boom, static (_, _, _) => throw new InvalidOperationException("boom"));
        await using var peer = new RawPeer(table, logger: logger);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"test/boom\",\"params\":{\"n\":1}}");

        await peer.AssertStillServesAsync();
        LogEntry logged = await logger.WaitForAsync(e => e.EventId == 6);
        Assert.Contains("test/boom", logged.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("^Internal error \\(incident ([0-9a-f]{12})\\)\\.$")]
    private static partial Regex IncidentPattern();
}
