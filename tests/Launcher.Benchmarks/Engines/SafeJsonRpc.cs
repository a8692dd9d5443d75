using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Launcher.Benchmarks.Engines;

/// <summary>
/// StreamJsonRpc configured as safely as its extension points allow: errors carry a fixed message and no data
/// (no exception type, message or stack trace), and locally invoked methods are cancelled when the peer leaves.
/// </summary>
internal sealed class SafeJsonRpc : JsonRpc
{
    public SafeJsonRpc(IJsonRpcMessageHandler handler)
        : base(handler)
    {
        CancelLocallyInvokedMethodsWhenConnectionIsClosed = true;
        ExceptionStrategy = ExceptionProcessing.CommonErrorData;
    }

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception) =>
        new() { Code = JsonRpcErrorCode.InvocationError, Message = "internal error" };
}
