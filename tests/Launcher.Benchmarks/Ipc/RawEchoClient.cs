using System.Net.Sockets;

namespace Launcher.Benchmarks.Ipc;

/// <summary>The baseline's client side: send 100 bytes, await the same 100 bytes back.</summary>
internal sealed class RawEchoClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _send = new byte[RawEcho.PayloadBytes];
    private readonly byte[] _receive = new byte[RawEcho.PayloadBytes];

    private RawEchoClient(Socket socket)
    {
        _socket = socket;
        Random.Shared.NextBytes(_send);
    }

    public static async Task<RawEchoClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new RawEchoClient(socket);
        await client.PingAsync().ConfigureAwait(false);
        if (!client._send.AsSpan().SequenceEqual(client._receive))
        {
            throw new InvalidOperationException("The echo came back different.");
        }

        return client;
    }

    public async Task PingAsync()
    {
        await _socket.SendAsync(_send, SocketFlags.None).ConfigureAwait(false);
        int got = 0;
        while (got < _receive.Length)
        {
            int n = await _socket.ReceiveAsync(_receive.AsMemory(got), SocketFlags.None).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("The echo server closed the connection.");
            }

            got += n;
        }
    }

    public void Dispose() => _socket.Dispose();
}
