using System.Net.Sockets;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Harness;

/// <summary>Client connections over the project's engine, exactly as launcherctl and the agent make them.</summary>
internal static class UnixRpc
{
    /// <summary>Client limits: the defaults, except room for the widest pipelining window we measure.</summary>
    public static RpcLimits ClientLimits { get; } = new() { MaxOutgoingCallsInFlight = 4096 };

    public static async Task<JsonRpcConnection> ConnectAsync(string socketPath, RpcHandlerTable? handlers = null, object? state = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new HeaderDelimitedTransport(new NetworkStream(socket, ownsSocket: true), ClientLimits);
        var connection = new JsonRpcConnection(transport, handlers, ClientLimits) { Name = "bench client", State = state };
        connection.Start();
        return connection;
    }
}
