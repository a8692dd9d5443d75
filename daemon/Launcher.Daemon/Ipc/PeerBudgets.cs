using System.Collections.Concurrent;
using Launcher.Rpc;

namespace Launcher.Daemon.Ipc;

/// <summary>
/// What the connections of one uid share: the budget of log lines their input may cause
/// (<see cref="RpcLimits.MaxPeerLogLinesPerUid"/>). One entry per uid that ever connected; uids are few.
/// </summary>
internal sealed class PeerBudgets
{
    private readonly RpcLimits _limits;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, RpcLogThrottle> _logThrottles = new();

    public PeerBudgets(DaemonOptions options, TimeProvider time)
    {
        _limits = options.Limits;
        _time = time;
    }

    /// <summary>The log budget all connections of <paramref name="uid"/> share.</summary>
    public RpcLogThrottle LogThrottleFor(uint uid) =>
        _logThrottles.GetOrAdd(uid, static (u, self) => new RpcLogThrottle($"uid {u}", self._limits.MaxPeerLogLinesPerUid, self._limits.PeerLogInterval, self._time), this);

    /// <summary>A log budget for one new connection of <paramref name="uid"/>, inside the uid's shared one.</summary>
    public RpcLogThrottle NewConnectionLogThrottle(uint uid) =>
        new($"uid {uid}", _limits.MaxPeerLogLinesPerConnection, _limits.PeerLogInterval, _time, LogThrottleFor(uid));
}
