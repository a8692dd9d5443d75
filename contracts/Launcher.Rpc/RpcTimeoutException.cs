namespace Launcher.Rpc;

/// <summary>An outgoing call got no response within its bound; a <c>$/cancelRequest</c> was sent.</summary>
public sealed class RpcTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a method and its bound.</summary>
    public RpcTimeoutException(string method, TimeSpan timeout)
        : base($"{method} got no response within {timeout.TotalSeconds:0.###} s.")
    {
        Method = method;
    }

    /// <summary>The method that timed out.</summary>
    public string Method { get; }
}
