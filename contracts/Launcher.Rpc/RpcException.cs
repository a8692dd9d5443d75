using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>
/// An error that travels to the peer as a JSON-RPC error object: thrown by handlers to answer with a code and a
/// message, and thrown to callers when the peer answered with an error. Any other exception a handler throws
/// becomes a generic internal error on the wire.
/// </summary>
public class RpcException : Exception
{
    /// <summary>Creates an error with a code and a message safe to show the peer.</summary>
    public RpcException(int code, string message, JsonElement? errorData = null)
        : base(message)
    {
        Code = code;
        ErrorData = errorData;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The optional <c>data</c> member of the error object.</summary>
    public JsonElement? ErrorData { get; }
}
