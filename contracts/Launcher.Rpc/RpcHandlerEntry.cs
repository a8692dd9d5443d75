using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>A registered method, type-erased so the connection can dispatch by name.</summary>
internal abstract class RpcHandlerEntry
{
    protected RpcHandlerEntry(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Reads the params while the message's document is alive; false with a peer-safe reason when they do not fit.</summary>
    public abstract bool TryBind(JsonElement? parameters, out object? bound, out string? error);

    public abstract ValueTask<object?> InvokeAsync(RpcCallContext context, object? bound, CancellationToken cancellationToken);

    public abstract void WriteResult(Utf8JsonWriter writer, object? result);

}
