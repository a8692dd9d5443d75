using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class UnixSocketTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task TwoEngines_OverAUnixSocket_CallAndNotifyBothWays()
    {
        using var sockets = new UnixSockets();
        (Socket serverSocket, Socket clientSocket) = await sockets.PairAsync();
        var clientService = new TestService();
        var serverService = new TestService();
        await using JsonRpcConnection server = UnixSockets.Connect(serverSocket, serverService.Table, name: "server");
        await using JsonRpcConnection client = UnixSockets.Connect(clientSocket, clientService.Table, name: "client");

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
    public async Task PeerProcessGoingAway_FailsPendingCallsPromptly()
    {
        using var sockets = new UnixSockets();
        (Socket serverSocket, Socket clientSocket) = await sockets.PairAsync();
        var service = new TestService();
        JsonRpcConnection server = UnixSockets.Connect(serverSocket, service.Table, name: "server");
        await using JsonRpcConnection client = UnixSockets.Connect(clientSocket, null, name: "client");
        Task<EmptyResult> pending = client.InvokeAsync(TestMethods.Wait, new EmptyParams(), timeout: Timeout.InfiniteTimeSpan);
        await service.WaitForStartsAsync();

        // Like a killed process: the socket closes without any goodbye.
        server.Close("simulated crash");

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => pending);
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => client.InvokeAsync(TestMethods.Add, new AddParams(1, 1)));
        await server.DisposeAsync();
    }

    [Fact(Timeout = T)]
    public async Task DeclaredTwoGigabytes_IsAnsweredAndTheSocketClosed_WithoutReadingABody()
    {
        using var sockets = new UnixSockets();
        (Socket serverSocket, Socket clientSocket) = await sockets.PairAsync();
        await using JsonRpcConnection server = UnixSockets.Connect(serverSocket, new TestService().Table, name: "server");
        using Socket raw = clientSocket;

        await raw.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 2000000000\r\n\r\n"));

        string received = await ReadToEndAsync(raw);
        int bodyStart = received.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        using JsonDocument reply = JsonDocument.Parse(received[bodyStart..]);
        Assert.Equal(RpcErrorCodes.InvalidRequest, reply.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = T)]
    public async Task APeerThatNeverReads_IsDisconnectedByTheWriteTimeout()
    {
        using var sockets = new UnixSockets();
        (Socket serverSocket, Socket clientSocket) = await sockets.PairAsync();
        var limits = new RpcLimits { WriteTimeout = TimeSpan.FromMilliseconds(300), MaxRequestsInFlight = 1000 };
        await using JsonRpcConnection server = UnixSockets.Connect(serverSocket, new TestService().Table, limits, "server");
        using Socket raw = clientSocket;
        byte[] request = RawPeer.Frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/blob\",\"params\":{\"count\":500000}}");

        // Each request asks for half a megabyte back; the client never reads, so the socket buffer fills.
        using var stop = new CancellationTokenSource();
        Task sending = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested && server.CloseReason is null)
                {
                    await raw.SendAsync(request, stop.Token);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server closed the connection: what the test waits for.
            }
        });

        await server.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("write timeout", server.CloseReason);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var all = new List<byte>();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return Encoding.UTF8.GetString(all.ToArray());
            }

            all.AddRange(buffer.AsSpan(0, read));
        }
    }
}
