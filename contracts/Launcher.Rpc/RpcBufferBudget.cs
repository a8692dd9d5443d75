namespace Launcher.Rpc;

/// <summary>
/// A bound on the bytes of unfinished incoming messages that transports may hold, shared by the connections it is
/// given to (the daemon gives all connections of one uid one budget, inside a total for every non-admin uid). A
/// transport reserves what it holds as bytes arrive; a reservation that would cross this budget or its parent's
/// fails, and that transport closes its connection: the newest offender goes, the others keep their bytes.
/// </summary>
public sealed class RpcBufferBudget
{
    private readonly RpcBufferBudget? _parent;
    private long _held;

    /// <summary>Creates a budget.</summary>
    /// <param name="name">Whose bytes these are, for the close reason (e.g. "uid 1001").</param>
    /// <param name="limit">The most bytes held at once.</param>
    /// <param name="parent">An enclosing budget that must have room too, or null.</param>
    public RpcBufferBudget(string name, long limit, RpcBufferBudget? parent = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Limit = limit;
        _parent = parent;
    }

    /// <summary>Whose bytes these are.</summary>
    public string Name { get; }

    /// <summary>The most bytes held at once.</summary>
    public long Limit { get; }

    /// <summary>Bytes held now.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>
    /// Moves a holder's reservation from <paramref name="reserved"/> to <paramref name="wanted"/> bytes. Shrinking
    /// always succeeds; growing fails when this budget or a parent would exceed its limit, and then
    /// <paramref name="exceeded"/> names the budget that is full and nothing changes.
    /// </summary>
    public bool TryResize(ref long reserved, long wanted, out RpcBufferBudget? exceeded)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        exceeded = null;
        long delta = wanted - reserved;
        if (delta <= 0)
        {
            Release(-delta);
            reserved = wanted;
            return true;
        }

        if (!TryAdd(delta, out exceeded))
        {
            return false;
        }

        reserved = wanted;
        return true;
    }

    private bool TryAdd(long delta, out RpcBufferBudget? exceeded)
    {
        if (Interlocked.Add(ref _held, delta) > Limit)
        {
            Interlocked.Add(ref _held, -delta);
            exceeded = this;
            return false;
        }

        if (_parent is not null && !_parent.TryAdd(delta, out exceeded))
        {
            Interlocked.Add(ref _held, -delta);
            return false;
        }

        exceeded = null;
        return true;
    }

    private void Release(long delta)
    {
        if (delta == 0)
        {
            return;
        }

        Interlocked.Add(ref _held, -delta);
        _parent?.Release(delta);
    }
}
