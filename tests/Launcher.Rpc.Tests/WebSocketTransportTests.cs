using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class WebSocketTransportTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task TwoEngines_OverALoopbackWebSocket_CallAndNotifyBothWays()
    {
        (WebSocket serverSocket, WebSocket clientSocket, _) = await LoopbackWebSockets.PairAsync();
        var clientService = new TestService();
        var serverService = new TestService();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, serverService.Table, name: "server");
        await using JsonRpcConnection client = LoopbackWebSockets.Connect(clientSocket, clientService.Table, name: "client");

        Task<AddResult> up = client.InvokeAsync(TestMethods.AddAsync, new AddParams(1, 2));
        Task<AddResult> down = server.InvokeAsync(TestMethods.AddAsync, new AddParams(3, 4));
        await client.NotifyAsync(TestMethods.Tick, new TickParams(5));
        await server.NotifyAsync(TestMethods.Tick, new TickParams(6));

        Assert.Equal(3, (await up).Sum);
        Assert.Equal(7, (await down).Sum);
        Assert.Equal(5, await serverService.WaitForTickAsync());
        Assert.Equal(6, await clientService.WaitForTickAsync());
        EchoResult large = await client.InvokeAsync(TestMethods.Echo, new EchoParams { Text = new string('L', 800_000), Count = 1 });
        Assert.Equal(800_000, large.Text.Length);
    }

    [Fact(Timeout = T)]
    public async Task EachMessage_IsOneTextMessage()
    {
        (WebSocket serverSocket, WebSocket raw, _) = await LoopbackWebSockets.PairAsync();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, name: "server");

        await SendTextAsync(raw, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/add\",\"params\":{\"a\":2,\"b\":3}}");
        await SendTextAsync(raw, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/add\",\"params\":{\"a\":4,\"b\":5}}");

        for (int i = 0; i < 2; i++)
        {
            (WebSocketMessageType type, string text) = await ReceiveAsync(raw);
            Assert.Equal(WebSocketMessageType.Text, type);
            using JsonDocument reply = JsonDocument.Parse(text);
            Assert.True(reply.RootElement.TryGetProperty("result", out _), text);
        }
    }

    [Fact(Timeout = T)]
    public async Task AMessageInFramesWithPauses_AndAnEmptyMessage_AreReadWhole_AfterTheIdleWait()
    {
        // The transport waits for each message with a zero-byte receive and rents its buffer only then: a message
        // whose frames arrive apart, and an empty message, must come through as before.
        (WebSocket serverSocket, WebSocket raw, _) = await LoopbackWebSockets.PairAsync();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, name: "server");

        await raw.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        (WebSocketMessageType type, string text) = await ReceiveAsync(raw);
        Assert.Equal(WebSocketMessageType.Text, type);
        using (JsonDocument reply = JsonDocument.Parse(text))
        {
            Assert.True(reply.RootElement.TryGetProperty("error", out _), text);
        }

        byte[] call = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"test/add\",\"params\":{\"a\":20,\"b\":22}}");
        for (int offset = 0; offset < call.Length; offset += 16)
        {
            int count = Math.Min(16, call.Length - offset);
            await raw.SendAsync(call.AsMemory(offset, count), WebSocketMessageType.Text, endOfMessage: offset + count == call.Length, CancellationToken.None);
            await Task.Delay(20);
        }

        (type, text) = await ReceiveAsync(raw);
        Assert.Equal(WebSocketMessageType.Text, type);
        using JsonDocument answer = JsonDocument.Parse(text);
        Assert.Equal(7, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(42, answer.RootElement.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Fact(Timeout = T)]
    public async Task MalformedJson_IsAnsweredWithAParseError_AndTheConnectionStays()
    {
        (WebSocket serverSocket, WebSocket raw, _) = await LoopbackWebSockets.PairAsync();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, name: "server");

        await SendTextAsync(raw, "{\"jsonrpc\":\"2.0\",\"id\":1,");
        (_, string text) = await ReceiveAsync(raw);
        using (JsonDocument reply = JsonDocument.Parse(text))
        {
            Assert.Equal(RpcErrorCodes.ParseError, reply.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }

        await SendTextAsync(raw, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/add\",\"params\":{\"a\":2,\"b\":3}}");
        (_, string second) = await ReceiveAsync(raw);
        Assert.Contains("\"sum\":5", second, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task BinaryMessage_ClosesWith1003()
    {
        (WebSocket serverSocket, WebSocket raw, _) = await LoopbackWebSockets.PairAsync();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, name: "server");

        await raw.SendAsync("{}"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

        WebSocketCloseStatus? status = await ReceiveCloseAsync(raw);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("binary", server.CloseReason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = T)]
    public async Task OversizedMessage_InManyFrames_ClosesWith1009_BeforeItIsAllRead()
    {
        (WebSocket serverSocket, WebSocket raw, _) = await LoopbackWebSockets.PairAsync();
        var limits = new RpcLimits { MaxMessageBytes = 4096 };
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, limits, "server");

        byte[] chunk = Encoding.ASCII.GetBytes(new string(' ', 1024));
        Task<WebSocketCloseStatus?> closed = ReceiveCloseAsync(raw);
        try
        {
            // Never ends the message: the server must refuse on size alone.
            for (int i = 0; i < 64 && !closed.IsCompleted; i++)
            {
                await raw.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException)
        {
            // The server closed while we were still sending.
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await closed);
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("limit", server.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task PeerClosing_EndsTheConnection_AndFailsPendingCalls()
    {
        (WebSocket serverSocket, WebSocket clientSocket, _) = await LoopbackWebSockets.PairAsync();
        var service = new TestService();
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, service.Table, name: "server");
        JsonRpcConnection client = LoopbackWebSockets.Connect(clientSocket, null, name: "client");
        Task<EmptyResult> pending = client.InvokeAsync(TestMethods.Wait, new EmptyParams(), timeout: Timeout.InfiniteTimeSpan);
        await service.WaitForStartsAsync();

        server.Close("going away");

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => pending);
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await client.DisposeAsync();
    }

    [Fact(Timeout = T)]
    public async Task APeerThatStopsAnsweringPings_IsDroppedByTheKeepAliveTimeout()
    {
        (WebSocket serverSocket, _, Socket clientSocket) = await LoopbackWebSockets.PairAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        var limits = new RpcLimits { IdleTimeout = null, FirstMessageTimeout = Timeout.InfiniteTimeSpan };
        await using JsonRpcConnection server = LoopbackWebSockets.Connect(serverSocket, new TestService().Table, limits, "server");

        // The client's WebSocket is never read, so no pong ever comes back: a half-open peer as far as the server can tell.
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("transport failed", server.CloseReason, StringComparison.Ordinal);
        clientSocket.Dispose();
    }

    private static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var stream = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            stream.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, Encoding.UTF8.GetString(stream.ToArray()));
            }
        }
    }

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }
}
