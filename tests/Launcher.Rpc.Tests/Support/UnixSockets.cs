using System.Net.Sockets;

namespace Launcher.Rpc.Tests.Support;

/// <summary>A listening Unix socket in a private temporary directory (short path: sun_path is 104 bytes on macOS).</summary>
internal sealed class UnixSockets : IDisposable
{
    private readonly string _directory;

    public UnixSockets()
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lrpc-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "rpc.sock");
    }

    public string Path { get; }

    public Socket Listen()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path));
        listener.Listen(16);
        return listener;
    }

    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path));
        return socket;
    }

    /// <summary>A listener, one accepted server-side socket and the client-side socket connected to it.</summary>
    public async Task<(Socket Server, Socket Client)> PairAsync()
    {
        using Socket listener = Listen();
        Task<Socket> accept = listener.AcceptAsync();
        Socket client = await ConnectAsync();
        Socket server = await accept.WaitAsync(TimeSpan.FromSeconds(10));
        return (server, client);
    }

    public static JsonRpcConnection Connect(Socket socket, RpcHandlerTable? handlers, RpcLimits? limits = null, string name = "socket")
    {
        var connection = new JsonRpcConnection(
            new HeaderDelimitedTransport(new NetworkStream(socket, ownsSocket: true), limits ?? RpcLimits.Default),
            handlers,
            limits) { Name = name };
        connection.Start();
        return connection;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A socket file still in use; the temp directory is cleaned by the OS eventually.
        }
    }
}
