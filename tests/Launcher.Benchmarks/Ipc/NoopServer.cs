using System.Net.Sockets;
using Launcher.Benchmarks.Harness;
using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Ipc;

/// <summary>
/// The engine with nothing else: a JsonRpcConnection server on a Unix socket in this process, serving one no-op
/// method. Compared with launcherd it shows what the engine costs apart from the daemon's handlers and processes.
/// </summary>
internal sealed class NoopServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly RpcHandlerTable _handlers = new RpcHandlerTable()
        .Add(BenchMethods.Noop, static (context, request, cancellationToken) => ValueTask.FromResult(EmptyParams.Instance))
        .Add(BenchMethods.Throw, static (context, request, cancellationToken) => throw new InvalidOperationException(Engines.EngineProbes.SecretDetail));
    private readonly List<JsonRpcConnection> _connections = [];
    private readonly Task _acceptLoop;

    public NoopServer(string socketPath)
    {
        SocketPath = socketPath;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(128);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        JsonRpcConnection[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        foreach (JsonRpcConnection connection in open)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
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

            var transport = new HeaderDelimitedTransport(new NetworkStream(client, ownsSocket: true), RpcLimits.Default);
            var connection = new JsonRpcConnection(transport, _handlers, RpcLimits.Default) { Name = "noop server" };
            lock (_connections)
            {
                _connections.Add(connection);
            }

            connection.Start();
        }
    }
}
