using System.Collections.Frozen;

namespace Launcher.Rpc;

/// <summary>
/// The methods one side of a connection serves, by name. Built once, then frozen and shared by every connection.
/// </summary>
public sealed class RpcHandlerTable
{
    private readonly Dictionary<string, RpcHandlerEntry> _building = new(StringComparer.Ordinal);
    private FrozenDictionary<string, RpcHandlerEntry>? _frozen;

    /// <summary>The registered method names.</summary>
    public IReadOnlyCollection<string> MethodNames => _frozen is null ? _building.Keys : _frozen.Keys;

    /// <summary>Registers a request method.</summary>
    public RpcHandlerTable Add<TParams, TResult>(RpcMethod<TParams, TResult> method, RpcHandler<TParams, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new RpcHandlerEntry<TParams, TResult>(method, handler));
        return this;
    }

    /// <summary>Registers a notification method.</summary>
    public RpcHandlerTable AddNotification<TParams>(RpcNotificationMethod<TParams> method, Func<RpcCallContext, TParams, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        Register(new RpcNotificationEntry<TParams>(method, handler));
        return this;
    }

    internal bool TryGet(string name, out RpcHandlerEntry entry)
    {
        FrozenDictionary<string, RpcHandlerEntry> table = _frozen ??= _building.ToFrozenDictionary(StringComparer.Ordinal);
        return table.TryGetValue(name, out entry!);
    }

    private void Register(RpcHandlerEntry entry)
    {
        if (_frozen is not null)
        {
            throw new InvalidOperationException("The table is in use; register every method before the first connection.");
        }

        if (entry.Name.StartsWith("$/", StringComparison.Ordinal))
        {
            throw new ArgumentException("Methods starting with $/ belong to the protocol.", nameof(entry));
        }

        if (!_building.TryAdd(entry.Name, entry))
        {
            throw new ArgumentException($"{entry.Name} is registered twice.", nameof(entry));
        }
    }
}
