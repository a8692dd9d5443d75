using System.Text;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class MessageTests
{
    private const int T = 30_000;

    [Theory(Timeout = T)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",}")]
    [InlineData("not json at all")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1} trailing")]
    [InlineData("{'jsonrpc':'2.0'}")]
    public async Task MalformedJson_IsAParseError_AndTheConnectionServesTheNextRequest(string body)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync(body);

        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task InvalidUtf8_IsAParseError_AndTheConnectionSurvives()
    {
        await using var peer = new RawPeer(new TestService().Table);
        byte[] head = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/e");
        byte[] tail = Encoding.UTF8.GetBytes("cho\",\"params\":{\"text\":\"x\"}}");
        byte[] body = [.. head, 0xC3, 0x28, .. tail];

        await peer.SendRawAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body]);

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        Assert.Contains("UTF-8", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await peer.AssertStillServesAsync();
    }

    [Theory(Timeout = T)]
    [InlineData("[]")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}]")]
    [InlineData("42")]
    [InlineData("\"a string\"")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task NonObjectMessages_AreInvalidRequests(string body)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync(body);

        await peer.ExpectErrorAsync(RpcErrorCodes.InvalidRequest);
        await peer.AssertStillServesAsync();
    }

    [Theory(Timeout = T)]
    [InlineData("{\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "1")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "1")]
    [InlineData("{\"jsonrpc\":2.0,\"id\":\"x\",\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "\"x\"")]
    [InlineData("{\"jsonrpc\":null,\"id\":1,\"method\":\"test/echo\"}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1e3,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":99999999999999999999,\"method\":\"test/echo\"}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"test/echo\",\"params\":{\"text\":\"a\"}}", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":\"text\"}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":17}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":true}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", "1")]
    [InlineData("{\"jsonrpc\":\"2.0\"}", "null")]
    [InlineData("{}", "null")]
    public async Task InvalidRequests_AreAnsweredWithInvalidRequest(string body, string expectedId)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync(body);

        await peer.ExpectErrorAsync(RpcErrorCodes.InvalidRequest, expectedId);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task UnknownMethod_IsMethodNotFound()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"no/such\",\"params\":{}}");

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.MethodNotFound, "7");
        Assert.Contains("no/such", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task UnknownMethod_LongName_IsTruncatedInTheReply()
    {
        await using var peer = new RawPeer(new TestService().Table);
        string name = new('m', 10_000);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + name + "\"}");

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.MethodNotFound, "7");
        Assert.True(error.GetProperty("error").GetProperty("message").GetString()!.Length < 200);
    }

    [Theory(Timeout = T)]
    [InlineData("{\"count\":1}", "text")]
    [InlineData("{}", "text")]
    [InlineData("{\"text\":5}", "$.text")]
    [InlineData("{\"text\":\"a\",\"count\":\"three\"}", "$.count")]
    [InlineData("{\"text\":\"a\",\"count\":1.5}", "$.count")]
    [InlineData("{\"text\":\"a\",\"count\":99999999999}", "$.count")]
    [InlineData("[]", "text")]
    public async Task BadParams_AreInvalidParams_WithoutDotNetTypeNames(string parameters, string messageContains)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test/echo\",\"params\":" + parameters + "}");

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.InvalidParams, "3");
        string message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains(messageContains, message, StringComparison.Ordinal);
        AssertNoDotNetDetails(reply.GetRawText());
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task MissingParams_BindAsAnEmptyObject()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\"}");
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/add\",\"params\":null}");

        Assert.Equal(0, (await peer.ReceiveAsync())!.Value.GetProperty("result").GetProperty("sum").GetInt32());
        Assert.Equal(0, (await peer.ReceiveAsync())!.Value.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Fact(Timeout = T)]
    public async Task PositionalArrayWithOneObject_IsAccepted()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\",\"params\":[{\"a\":2,\"b\":3}]}");

        Assert.Equal(5, (await peer.ReceiveAsync())!.Value.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Fact(Timeout = T)]
    public async Task EmptyPositionalArray_MeansNoParams()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\",\"params\":[]}");

        Assert.Equal(0, (await peer.ReceiveAsync())!.Value.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Theory(Timeout = T)]
    [InlineData("[{\"a\":1},{\"b\":2}]")]
    [InlineData("[1,2]")]
    [InlineData("[1]")]
    [InlineData("[\"a\"]")]
    public async Task OtherPositionalParams_AreInvalidParams(string parameters)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\",\"params\":" + parameters + "}");

        await peer.ExpectErrorAsync(RpcErrorCodes.InvalidParams, "1");
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task DepthBomb_IsAParseError_AndTheConnectionSurvives()
    {
        await using var peer = new RawPeer(new TestService().Table);
        string bomb = new string('[', 10_000) + new string(']', 10_000);

        await peer.SendAsync(bomb);

        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task DepthBombInsideParams_IsAParseError()
    {
        await using var peer = new RawPeer(new TestService().Table);
        string nested = new string('[', 5_000) + new string(']', 5_000);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\",\"x\":" + nested + "}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task NestingAtTheLimit_IsAccepted()
    {
        var limits = new RpcLimits { MaxJsonDepth = 8 };
        await using var peer = new RawPeer(new TestService().Table, limits);

        // Depth: message 1, params 2, x 3..8.
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"a\",\"x\":[[[[[[]]]]]]}}");
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/echo\",\"params\":{\"text\":\"a\",\"x\":[[[[[[[]]]]]]]}}");

        Assert.Equal(1, (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt32());
        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
    }

    [Theory(Timeout = T)]
    [InlineData(0)]
    [InlineData(11)]
    public async Task ValidatableParams_FailingValidation_AreInvalidParamsWithTheReason(int value)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/range\",\"params\":{\"value\":" + value + "}}");

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.InvalidParams, "1");
        Assert.Equal("value must be between 1 and 10", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact(Timeout = T)]
    public async Task ValidatableParams_Passing_ReachTheHandler()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/range\",\"params\":{\"value\":5}}");

        Assert.True((await peer.ReceiveAsync())!.Value.TryGetProperty("result", out _));
    }

    [Fact(Timeout = T)]
    public async Task ValidatorThatThrows_IsAnInternalError_AndTheConnectionSurvives()
    {
        var logger = new TestLogger();
        await using var peer = new RawPeer(new TestService().Table, logger: logger);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/exploding\",\"params\":{\"value\":5}}");

        JsonElement reply = await peer.ExpectErrorAsync(RpcErrorCodes.InternalError, "1");
        AssertNoDotNetDetails(reply.GetRawText());
        Assert.DoesNotContain("secret", reply.GetRawText(), StringComparison.Ordinal);
        await peer.AssertStillServesAsync();
    }

    [Theory(Timeout = T)]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("\"h\\u00e9 \\\"quoted\\\" \\u4e16\"")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    public async Task RequestIds_AreEchoedExactly(string id)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"test/add\",\"params\":{\"a\":1,\"b\":1}}");

        JsonElement reply = (await peer.ReceiveAsync())!.Value;
        using JsonDocument expected = JsonDocument.Parse(id);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, reply.GetProperty("id")), reply.GetRawText());
        Assert.Equal(expected.RootElement.ValueKind, reply.GetProperty("id").ValueKind);
    }

    [Theory(Timeout = T)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"nope\",\"result\":{}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":999,\"error\":{\"code\":1,\"message\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":\"not an object\"}")]
    public async Task ResponsesWithoutAPendingCall_AreIgnoredWithoutAReply(string body)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync(body);

        // The next thing the peer reads must be the probe's answer, not an answer to the stray response.
        await peer.AssertStillServesAsync();
    }

    [Theory(Timeout = T)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"no/such\",\"params\":{}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"$/setTrace\",\"params\":{\"value\":\"off\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test/tick\",\"params\":{\"n\":\"not a number\"}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"test/tick\",\"params\":[1,2]}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":12345}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\"}")]
    public async Task NotificationsThatCannotBeServed_AreNeverAnswered(string body)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync(body);

        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task DroppedNotifications_AreLogged()
    {
        var logger = new TestLogger();
        await using var peer = new RawPeer(new TestService().Table, logger: logger);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"no/such\"}");

        await peer.AssertStillServesAsync();
        LogEntry dropped = await logger.WaitForAsync(e => e.EventId == 9);
        Assert.Contains("no/such", dropped.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task CancelRequestSentAsARequest_IsAnsweredSoThePeerDoesNotWaitForever()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.InvalidRequest, "4");
    }

    [Fact(Timeout = T)]
    public async Task DuplicateIdInFlight_IsRejected_AndTheFirstStillCompletes()
    {
        var service = new TestService();
        await using var peer = new RawPeer(service.Table);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/wait\"}");
        await service.WaitForStartsAsync();
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/wait\"}");

        await peer.ExpectErrorAsync(RpcErrorCodes.InvalidRequest, "1");
        service.Release();
        JsonElement done = (await peer.ReceiveAsync())!.Value;
        Assert.Equal(1, done.GetProperty("id").GetInt32());
        Assert.True(done.TryGetProperty("result", out _));
    }

    internal static void AssertNoDotNetDetails(string wireText)
    {
        foreach (string marker in new[] { "System.", "Exception", "Launcher.", "   at ", "EchoParams", "Int32", "String" })
        {
            Assert.DoesNotContain(marker, wireText, StringComparison.Ordinal);
        }
    }
}
