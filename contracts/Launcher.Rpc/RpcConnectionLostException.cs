namespace Launcher.Rpc;

/// <summary>The connection ended before the response arrived; the call's outcome at the peer is unknown.</summary>
public sealed class RpcConnectionLostException : Exception
{
    /// <summary>Creates the exception with the reason the connection ended.</summary>
    public RpcConnectionLostException(string reason)
        : base($"The connection was lost: {reason}")
    {
    }
}
