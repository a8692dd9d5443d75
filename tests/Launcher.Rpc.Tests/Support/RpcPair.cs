using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Launcher.Rpc.Tests.Support;

/// <summary>Two engine connections facing each other over an in-memory duplex pipe pair.</summary>
internal sealed class RpcPair : IAsyncDisposable
{
    public RpcPair(
        RpcHandlerTable? clientHandlers = null,
        RpcHandlerTable? serverHandlers = null,
        RpcLimits? clientLimits = null,
        RpcLimits? serverLimits = null,
        TimeProvider? clientTime = null,
        TimeProvider? serverTime = null,
        ILogger? serverLogger = null)
    {
        var toServer = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        Server = new JsonRpcConnection(
            new HeaderDelimitedTransport(toServer.Reader, toClient.Writer, serverLimits ?? RpcLimits.Default),
            serverHandlers,
            serverLimits,
            serverLogger,
            serverTime) { Name = "server" };
        Client = new JsonRpcConnection(
            new HeaderDelimitedTransport(toClient.Reader, toServer.Writer, clientLimits ?? RpcLimits.Default),
            clientHandlers,
            clientLimits,
            null,
            clientTime) { Name = "client" };
        Server.Start();
        Client.Start();
    }

    public JsonRpcConnection Client { get; }

    public JsonRpcConnection Server { get; }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
