using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>A registered request method with typed params and result.</summary>
internal sealed class RpcHandlerEntry<TParams, TResult> : RpcHandlerEntry
{
    private readonly RpcMethod<TParams, TResult> _method;
    private readonly RpcHandler<TParams, TResult> _handler;

    public RpcHandlerEntry(RpcMethod<TParams, TResult> method, RpcHandler<TParams, TResult> handler)
        : base(method.Name)
    {
        _method = method;
        _handler = handler;
    }

    public override bool TryBind(JsonElement? parameters, out object? bound, out string? error)
    {
        return RpcParams.TryBind(parameters, _method.ParamsType, out bound, out error);
    }

    public override async ValueTask<object?> InvokeAsync(RpcCallContext context, object? bound, CancellationToken cancellationToken)
    {
        return await _handler(context, (TParams)bound!, cancellationToken).ConfigureAwait(false);
    }

    public override void WriteResult(Utf8JsonWriter writer, object? result)
    {
        JsonSerializer.Serialize(writer, (TResult)result!, _method.ResultType);
    }
}
