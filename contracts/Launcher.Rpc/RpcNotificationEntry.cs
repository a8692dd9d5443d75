using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>A registered notification method (no response is ever sent).</summary>
internal sealed class RpcNotificationEntry<TParams> : RpcHandlerEntry
{
    private readonly RpcNotificationMethod<TParams> _method;
    private readonly Func<RpcCallContext, TParams, CancellationToken, ValueTask> _handler;

    public RpcNotificationEntry(RpcNotificationMethod<TParams> method, Func<RpcCallContext, TParams, CancellationToken, ValueTask> handler)
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
        await _handler(context, (TParams)bound!, cancellationToken).ConfigureAwait(false);
        return null;
    }

    public override void WriteResult(Utf8JsonWriter writer, object? result)
    {
        writer.WriteNullValue();
    }
}
