using System.Text;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class FramingTests
{
    private const int T = 30_000;
    private const string EchoRequest = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"hi\",\"count\":2}}";

    [Theory(Timeout = T)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(19)]
    [InlineData(4096)]
    public async Task Messages_SplitAtAnyReadBoundary_AreReassembled(int chunk)
    {
        await using var peer = new RawPeer(new TestService().Table, maxReadChunk: chunk);
        string second = EchoRequest.Replace("\"id\":1", "\"id\":2", StringComparison.Ordinal).Replace("hi", "h\u00e9\u00e9\u4e16", StringComparison.Ordinal);

        await peer.SendRawAsync([.. RawPeer.Frame(EchoRequest), .. RawPeer.Frame(second)]);

        JsonElement? first = await peer.ReceiveAsync();
        JsonElement? next = await peer.ReceiveAsync();
        Assert.Equal("hi", first!.Value.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal("h\u00e9\u00e9\u4e16", next!.Value.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(2, next.Value.GetProperty("id").GetInt64());
    }

    [Fact(Timeout = T)]
    public async Task ByteByByte_EveryByteIsItsOwnRead()
    {
        var pipeIn = new System.IO.Pipelines.Pipe();
        var pipeOut = new System.IO.Pipelines.Pipe();
        var stream = new DuplexPipeStream(pipeIn.Reader, pipeOut.Writer, 1);
        await using var connection = new JsonRpcConnection(new HeaderDelimitedTransport(stream, RpcLimits.Default), new TestService().Table);
        connection.Start();
        var reader = new HeaderDelimitedTransport(pipeOut.Reader, new System.IO.Pipelines.Pipe().Writer, RpcLimits.Default);
        byte[] frame = RawPeer.Frame(EchoRequest);

        foreach (byte b in frame)
        {
            await pipeIn.Writer.WriteAsync(new[] { b });
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        TransportMessage reply = await reader.ReadAsync(null, timeout.Token);
        Assert.Equal(TransportMessageKind.Message, reply.Kind);
        Assert.Contains("\"result\"", Encoding.UTF8.GetString(reply.Body.Span), StringComparison.Ordinal);
        reply.Release();
        Assert.True(stream.Reads >= frame.Length, $"Expected one read per byte, saw {stream.Reads} reads for {frame.Length} bytes.");
    }

    [Fact(Timeout = T)]
    public async Task SeveralMessagesInOneRead_AreAllServedInOrder()
    {
        await using var peer = new RawPeer(new TestService().Table);
        var all = new List<byte>();
        for (int i = 1; i <= 5; i++)
        {
            all.AddRange(RawPeer.Frame($"{{\"jsonrpc\":\"2.0\",\"id\":{i},\"method\":\"test/add\",\"params\":{{\"a\":{i},\"b\":100}}}}"));
        }

        await peer.SendRawAsync(all.ToArray());

        for (int i = 1; i <= 5; i++)
        {
            JsonElement reply = (await peer.ReceiveAsync())!.Value;
            Assert.Equal(i, reply.GetProperty("id").GetInt64());
            Assert.Equal(i + 100, reply.GetProperty("result").GetProperty("sum").GetInt32());
        }
    }

    [Theory(Timeout = T)]
    [InlineData("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")]
    [InlineData("Content-Type: application/vscode-jsonrpc; charset=UTF8\r\n")]
    [InlineData("Content-Type: application/json\r\n")]
    [InlineData("content-type: application/json; charset=\"utf-8\"\r\n")]
    [InlineData("X-Unknown: whatever\r\nX-Other:\r\n")]
    public async Task OptionalHeaders_AreAccepted(string extraHeaders)
    {
        await using var peer = new RawPeer(new TestService().Table);
        byte[] body = Encoding.UTF8.GetBytes(EchoRequest);

        await peer.SendRawAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n{extraHeaders}\r\n").Concat(body).ToArray());

        JsonElement reply = (await peer.ReceiveAsync())!.Value;
        Assert.Equal("hi", reply.GetProperty("result").GetProperty("text").GetString());
    }

    [Theory(Timeout = T)]
    [InlineData(":")]
    [InlineData(": ")]
    [InlineData(":\t")]
    [InlineData(":   ")]
    public async Task HeaderValues_MayHaveSpacesOrTabsAround(string separator)
    {
        await using var peer = new RawPeer(new TestService().Table);
        byte[] body = Encoding.UTF8.GetBytes(EchoRequest);

        await peer.SendRawAsync(Encoding.ASCII.GetBytes($"Content-Length{separator}{body.Length} \t\r\n\r\n").Concat(body).ToArray());

        Assert.Equal(1, (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt64());
    }

    [Theory(Timeout = T)]
    [InlineData("content-length")]
    [InlineData("CONTENT-LENGTH")]
    [InlineData("Content-length")]
    public async Task HeaderNames_AreCaseInsensitive(string name)
    {
        await using var peer = new RawPeer(new TestService().Table);
        byte[] body = Encoding.UTF8.GetBytes(EchoRequest);

        await peer.SendRawAsync(Encoding.ASCII.GetBytes($"{name}: {body.Length}\r\n\r\n").Concat(body).ToArray());

        Assert.Equal(1, (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt64());
    }

    [Theory(Timeout = T)]
    [InlineData("Content-Length: 10\r\nContent-Type: application/json; charset=utf-16\r\n\r\n", "UTF-8")]
    [InlineData("Content-Length: 10\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n", "UTF-8")]
    [InlineData("Content-Type: application/json\r\n\r\n{}", "Content-Length")]
    [InlineData("\r\n{}", "Content-Length")]
    [InlineData("Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", "twice")]
    [InlineData("Content-Length: abc\r\n\r\n", "decimal")]
    [InlineData("Content-Length: -5\r\n\r\n", "decimal")]
    [InlineData("Content-Length: +5\r\n\r\n", "decimal")]
    [InlineData("Content-Length: 5.0\r\n\r\n", "decimal")]
    [InlineData("Content-Length: \r\n\r\n", "decimal")]
    [InlineData("Content-Length: 99999999999999999999999\r\n\r\n", "decimal")]
    [InlineData("Content-Length: 2\n\n{}", "CRLF")]
    [InlineData("Content-Length: 2\r\n\n{}", "CRLF")]
    [InlineData("Content-Length 2\r\n\r\n{}", "name")]
    [InlineData(": 2\r\n\r\n{}", "name")]
    public async Task BrokenFraming_IsAnsweredThenTheConnectionCloses(string bytes, string reasonContains)
    {
        var logger = new TestLogger();
        await using var peer = new RawPeer(new TestService().Table, logger: logger);

        await peer.SendRawAsync(bytes);

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        Assert.Contains(reasonContains, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        await peer.AssertClosesAsync();
        Assert.StartsWith("broken framing", peer.Connection.CloseReason, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.EventId == 2);
    }

    [Fact(Timeout = T)]
    public async Task HeaderLineTooLong_IsRejected()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendRawAsync("X-Padding: " + new string('a', 400) + "\r\nContent-Length: 2\r\n\r\n{}");

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        Assert.Contains("header line", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await peer.AssertClosesAsync();
    }

    [Fact(Timeout = T)]
    public async Task HeaderLineTooLong_WithoutAnyNewline_IsRejectedWithoutWaitingForMore()
    {
        await using var peer = new RawPeer(new TestService().Table);

        // The peer never ends the line; the engine must not keep buffering.
        await peer.SendRawAsync("Content-Length: 1" + new string('0', 500));

        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        await peer.AssertClosesAsync();
    }

    [Fact(Timeout = T)]
    public async Task LargeConfiguredHeaderLimits_DoNotOverflowTheStack()
    {
        // The line buffer once came from stackalloc of the configured size: 8 MB would overflow a thread's stack.
        var limits = new RpcLimits { MaxHeaderLineBytes = 8 * 1024 * 1024, MaxHeaderBytes = 16 * 1024 * 1024 };
        await using var peer = new RawPeer(new TestService().Table, limits);
        byte[] body = Encoding.UTF8.GetBytes(EchoRequest);

        await peer.SendRawAsync(Encoding.ASCII.GetBytes($"X-Big: {new string('b', 100_000)}\r\nContent-Length: {body.Length}\r\n\r\n").Concat(body).ToArray());

        Assert.Equal(1, (await peer.ReceiveAsync())!.Value.GetProperty("id").GetInt64());
    }

    [Fact(Timeout = T)]
    public async Task HeaderBlockTooLong_IsRejected()
    {
        await using var peer = new RawPeer(new TestService().Table);
        var headers = new StringBuilder();
        for (int i = 0; i < 200; i++)
        {
            headers.Append("X-H").Append(i).Append(": v\r\n");
        }

        await peer.SendRawAsync(headers + "Content-Length: 2\r\n\r\n{}");

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        Assert.Contains("header block", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await peer.AssertClosesAsync();
    }

    [Theory(Timeout = T)]
    [InlineData("1048577")]
    [InlineData("1500000000")]
    [InlineData("2147483648")]
    [InlineData("9999999999")]
    public async Task DeclaredLengthOverTheLimit_IsRejectedBeforeAllocating(string declared)
    {
        await using var peer = new RawPeer(new TestService().Table);
        long before = GC.GetTotalAllocatedBytes(precise: true);

        // Only the header: a body of that size is never sent, so an engine that waited for it would hang.
        await peer.SendRawAsync($"Content-Length: {declared}\r\n\r\n{{\"jsonrpc\"");

        JsonElement error = await peer.ExpectErrorAsync(RpcErrorCodes.InvalidRequest);
        Assert.Contains("limit", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await peer.AssertClosesAsync();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 256L * 1024 * 1024, $"{allocated} bytes were allocated while rejecting the message.");
    }

    [Fact(Timeout = T)]
    public async Task MessageExactlyAtTheLimit_IsAccepted()
    {
        var limits = new RpcLimits { MaxMessageBytes = 200 };
        await using var peer = new RawPeer(new TestService().Table, limits);
        string json = EchoRequest.Replace("\"hi\"", "\"" + new string('z', 200 - EchoRequest.Length + 2) + "\"", StringComparison.Ordinal);
        Assert.Equal(200, Encoding.UTF8.GetByteCount(json));

        await peer.SendAsync(json);

        JsonElement reply = (await peer.ReceiveAsync())!.Value;
        Assert.True(reply.TryGetProperty("result", out _), reply.GetRawText());
    }

    [Fact(Timeout = T)]
    public async Task LargeMessage_OverSeveralReads_IsAccepted()
    {
        await using var peer = new RawPeer(new TestService().Table);
        string text = new('q', 900_000);
        string json = EchoRequest.Replace("\"hi\"", "\"" + text + "\"", StringComparison.Ordinal);

        await peer.SendAsync(json);

        JsonElement reply = (await peer.ReceiveAsync())!.Value;
        Assert.Equal(text.Length, reply.GetProperty("result").GetProperty("text").GetString()!.Length);
    }

    [Theory(Timeout = T)]
    [InlineData("Content-Length: 50\r\n\r\n{\"jsonrpc\":")]
    [InlineData("Content-Length: 50\r\n")]
    [InlineData("Content-Len")]
    public async Task EndOfStreamMidMessage_ClosesAsBroken(string bytes)
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendRawAsync(bytes);
        await peer.EndAsync();

        await peer.AssertClosesAsync();
        Assert.Contains("middle of a message", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task EndOfStreamBetweenMessages_IsACleanClose()
    {
        await using var peer = new RawPeer(new TestService().Table);
        await peer.AssertStillServesAsync();

        await peer.EndAsync();

        await peer.AssertClosesAsync();
        Assert.Equal("the peer closed the connection", peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task ZeroLengthBody_IsAParseErrorAndTheConnectionSurvives()
    {
        await using var peer = new RawPeer(new TestService().Table);

        await peer.SendRawAsync("Content-Length: 0\r\n\r\n");

        await peer.ExpectErrorAsync(RpcErrorCodes.ParseError);
        await peer.AssertStillServesAsync();
    }

    [Fact(Timeout = T)]
    public async Task OutgoingFrames_AreExactlyContentLengthCrlfCrlfThenTheBody()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var transport = new HeaderDelimitedTransport(new System.IO.Pipelines.Pipe().Reader, pipe.Writer, RpcLimits.Default);
        byte[] body = Encoding.UTF8.GetBytes("{\"a\":\"\u00e9\"}");

        await transport.WriteAsync(body, CancellationToken.None);
        await transport.FlushAsync(CancellationToken.None);
        await pipe.Writer.CompleteAsync();

        System.IO.Pipelines.ReadResult read = await pipe.Reader.ReadAsync();
        Assert.Equal("Content-Length: " + body.Length + "\r\n\r\n" + Encoding.UTF8.GetString(body), Encoding.UTF8.GetString(read.Buffer));
        pipe.Reader.AdvanceTo(read.Buffer.End);
    }
}
