using System.Collections.Concurrent;
using Launcher.Rpc;

namespace Launcher.Daemon.Ipc;

/// <summary>
/// What the connections of one uid share: the budget of log lines their input may cause
/// (<see cref="RpcLimits.MaxPeerLogLinesPerUid"/>) and the bytes of unfinished messages they may hold
/// (<see cref="RpcLimits.MaxUnfinishedBytesPerUid"/>, inside <see cref="RpcLimits.MaxUnfinishedBytes"/> for all
/// non-admin uids together; admins have their own per-uid budget outside the total, so no user can starve them).
/// One entry per uid that ever connected; uids are few.
/// </summary>
internal sealed class PeerBudgets
{
    private readonly RpcLimits _limits;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, RpcLogThrottle> _logThrottles = new();
    private readonly ConcurrentDictionary<uint, RpcBufferBudget> _bufferBudgets = new();
    private readonly RpcBufferBudget _allUsers;

    public PeerBudgets(DaemonOptions options, TimeProvider time)
    {
        _limits = options.Limits;
        _time = time;
        _allUsers = new RpcBufferBudget("all non-admin uids together", _limits.MaxUnfinishedBytes);
    }

    /// <summary>The bytes of unfinished messages every non-admin connection holds now.</summary>
    public long UnfinishedBytes => _allUsers.Held;

    /// <summary>The unfinished-message budget the connections of <paramref name="caller"/>'s uid share.</summary>
    public RpcBufferBudget BufferBudgetFor(Caller caller) =>
        _bufferBudgets.GetOrAdd(caller.Uid, static (uid, state) => new RpcBufferBudget($"uid {uid}", state.Self._limits.MaxUnfinishedBytesPerUid, state.IsAdmin ? null : state.Self._allUsers), (Self: this, caller.IsAdmin));

    /// <summary>The log budget all connections of <paramref name="uid"/> share.</summary>
    public RpcLogThrottle LogThrottleFor(uint uid) =>
        _logThrottles.GetOrAdd(uid, static (u, self) => new RpcLogThrottle($"uid {u}", self._limits.MaxPeerLogLinesPerUid, self._limits.PeerLogInterval, self._time), this);

    /// <summary>A log budget for one new connection of <paramref name="uid"/>, inside the uid's shared one.</summary>
    public RpcLogThrottle NewConnectionLogThrottle(uint uid) =>
        new($"uid {uid}", _limits.MaxPeerLogLinesPerConnection, _limits.PeerLogInterval, _time, LogThrottleFor(uid));
}
