namespace Launcher.Rpc;

/// <summary>The error codes the engine itself produces (JSON-RPC 2.0 and the LSP's cancellation code).</summary>
public static class RpcErrorCodes
{
    /// <summary>The message is not valid JSON, or too deep.</summary>
    public const int ParseError = -32700;

    /// <summary>Valid JSON that is not a valid JSON-RPC 2.0 message, or a message over the size limit.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>No such method.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>The params do not fit the method.</summary>
    public const int InvalidParams = -32602;

    /// <summary>The handler failed unexpectedly; details stay in the server's log.</summary>
    public const int InternalError = -32603;

    /// <summary>Too many requests in flight on this connection; retry later.</summary>
    public const int ServerBusy = -32000;

    /// <summary>The request was cancelled by <c>$/cancelRequest</c> (the LSP's RequestCancelled).</summary>
    public const int RequestCancelled = -32800;
}
