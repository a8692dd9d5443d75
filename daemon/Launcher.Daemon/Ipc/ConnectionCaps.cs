using Launcher.Rpc;

namespace Launcher.Daemon.Ipc;

/// <summary>
/// The connection caps in force: at most <see cref="Total"/> connections, of which <see cref="AdminReserve"/> only
/// admins may take, and at most <see cref="PerUid"/> per non-root uid. Derived at start from the configured limits
/// and the file descriptors the process may still open, so a flood meets a refusal, never an exhausted descriptor
/// table.
/// </summary>
internal sealed record ConnectionCaps(int Total, int PerUid, int AdminReserve)
{
    /// <summary>Connections every non-admin caller together may hold.</summary>
    public int NonAdminTotal => Total - AdminReserve;

    /// <summary>The configured caps, unchanged by any descriptor limit.</summary>
    public static ConnectionCaps FromLimits(RpcLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Derive(limits, ulong.MaxValue, 0);
    }

    /// <summary>
    /// Caps that fit <paramref name="softLimit"/> descriptors when <paramref name="openNow"/> are open already and
    /// <see cref="RpcLimits.FileDescriptorHeadroom"/> stay free: the total shrinks to the budget, the per-uid cap
    /// and the admin reserve shrink in proportion (the reserve to at most an eighth), and root always keeps a slot.
    /// </summary>
    public static ConnectionCaps Derive(RpcLimits limits, ulong softLimit, int openNow)
    {
        ArgumentNullException.ThrowIfNull(limits);
        long available = (long)Math.Min(softLimit, int.MaxValue) - openNow - limits.FileDescriptorHeadroom;
        int total = (int)Math.Clamp(available, 1, limits.MaxConnections);
        int reserve = Math.Clamp(Math.Min(limits.AdminConnectionReserve, total / 8), 1, total);
        int perUid = total == limits.MaxConnections
            ? limits.MaxConnectionsPerUid
            : (int)Math.Max(1, (long)limits.MaxConnectionsPerUid * total / limits.MaxConnections);
        return new ConnectionCaps(total, Math.Min(perUid, limits.MaxConnectionsPerUid), reserve);
    }
}
