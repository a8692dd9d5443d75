using System.Net.Sockets;
using StreamJsonRpc;

namespace Launcher.Benchmarks.Engines;

/// <summary>A StreamJsonRpc server on a Unix socket: one JsonRpc per accepted connection, serving <see cref="SjrTarget"/>.</summary>
internal sealed class SjrServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EngineKind _kind;
    private readonly bool _safe;
    private readonly List<JsonRpc> _connections = [];
    private readonly Task _acceptLoop;

    public SjrServer(string socketPath, EngineKind kind, bool safe)
    {
        SocketPath = socketPath;
        _kind = kind;
        _safe = safe;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(512);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public static IJsonRpcMessageHandler Handler(Stream stream, EngineKind kind) => kind switch
    {
        EngineKind.StreamJsonRpcJson => new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()),
        EngineKind.StreamJsonRpcMessagePack => new LengthHeaderMessageHandler(stream, stream, new MessagePackFormatter()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a StreamJsonRpc stack"),
    };

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        JsonRpc[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        foreach (JsonRpc rpc in open)
        {
            rpc.Dispose();
        }

        File.Delete(SocketPath);
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            var stream = new NetworkStream(client, ownsSocket: true);
            IJsonRpcMessageHandler handler = Handler(stream, _kind);
            JsonRpc rpc = _safe ? new SafeJsonRpc(handler) : new JsonRpc(handler);
            rpc.AddLocalRpcTarget(new SjrTarget());
            lock (_connections)
            {
                _connections.Add(rpc);
            }

            rpc.StartListening();
        }
    }
}
