using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Daemon.Notifications;

namespace Launcher.Daemon.Handlers;

/// <summary><c>daemon/status</c>.</summary>
internal sealed class StatusMethods : IMethodModule
{
    private static readonly TimeSpan s_pendingCountFreshFor = TimeSpan.FromMilliseconds(250);

    private readonly DaemonInfo _info;
    private readonly DaemonOptions _options;
    private readonly SessionRegistry _sessions;
    private readonly NotificationStore _store;
    private readonly IdentityService _identity;
    private readonly TimeProvider _time;
    private readonly Lock _pendingLock = new();
    private int _pendingCount;
    private long _pendingCountAt = long.MinValue;

    public StatusMethods(DaemonInfo info, DaemonOptions options, SessionRegistry sessions, NotificationStore store, IdentityService identity, TimeProvider time)
    {
        _info = info;
        _options = options;
        _sessions = sessions;
        _store = store;
        _identity = identity;
        _time = time;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.DaemonStatus, (session, request, cancellationToken) =>
        {
            IdentitySnapshot identity = _identity.Snapshot();
            return ValueTask.FromResult(new StatusResult
            {
                Version = DaemonInfo.Version,
                UptimeSeconds = Math.Round(_time.GetElapsedTime(_info.StartedAt).TotalSeconds, 3),
                Pid = Environment.ProcessId,
                DevMode = _options.Dev,
                Agents = _sessions.AgentCounts(),
                Connections = _sessions.Count,
                PendingNotifications = PendingCount(),
                KeyClass = identity.KeyClass,
                IdentityState = identity.State,
                Warnings = identity.Warnings,
            });
        });
    }

    /// <summary>
    /// The outbox count costs a SQLite query; status is polled by scripts and monitors, so one count serves every
    /// call within a short window (the figure is a snapshot either way).
    /// </summary>
    private int PendingCount()
    {
        lock (_pendingLock)
        {
            if (_pendingCountAt == long.MinValue || _time.GetElapsedTime(_pendingCountAt) >= s_pendingCountFreshFor)
            {
                _pendingCount = _store.PendingCount(_time.GetUtcNow());
                _pendingCountAt = _time.GetTimestamp();
            }

            return _pendingCount;
        }
    }
}
