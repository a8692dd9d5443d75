namespace Launcher.Rpc;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class RpcCallContext
{
    internal RpcCallContext(JsonRpcConnection connection, string method, RpcId? id)
    {
        Connection = connection;
        Method = method;
        Id = id;
    }

    /// <summary>The connection the call came in on; <see cref="JsonRpcConnection.State"/> holds its owner's state.</summary>
    public JsonRpcConnection Connection { get; }

    /// <summary>The method called.</summary>
    public string Method { get; }

    /// <summary>The request id; null for a notification.</summary>
    public RpcId? Id { get; }
}
