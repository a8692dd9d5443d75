using Launcher.Rpc;

namespace Launcher.Daemon.Fleet;

/// <summary>One open WebSocket to the fleet server with its JSON-RPC engine; <see cref="JsonRpcConnection.State"/>
/// holds this object, so the handlers of server calls know whether the connection is authenticated.</summary>
internal sealed class FleetConnection : IAsyncDisposable
{
    private volatile string? _machineId;

    public FleetConnection(FleetServerUrl server, string channelBinding)
    {
        Server = server;
        ChannelBinding = channelBinding;
    }

    public FleetServerUrl Server { get; }

    /// <summary>The <c>cb</c> of this connection: SHA-256 of the server leaf certificate it saw.</summary>
    public string ChannelBinding { get; }

    public JsonRpcConnection Rpc { get; set; } = null!;

    /// <summary>Set once <c>fleet/authenticate</c> (or <c>fleet/enroll</c>) succeeded on this connection.</summary>
    public string? MachineId => _machineId;

    public bool IsAuthenticated => _machineId is not null;

    public void MarkAuthenticated(string machineId) => _machineId = machineId;

    public async ValueTask DisposeAsync()
    {
        Rpc.Close("the fleet link closed the connection");
        await Rpc.DisposeAsync().ConfigureAwait(false);
    }
}
