using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Fleet;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Daemon.Notifications;

namespace Launcher.Daemon.Handlers;

/// <summary><c>daemon/status</c>.</summary>
internal sealed class StatusMethods : IMethodModule
{
    private static readonly TimeSpan s_pendingCountFreshFor = TimeSpan.FromSeconds(1);

    private readonly DaemonInfo _info;
    private readonly DaemonOptions _options;
    private readonly SessionRegistry _sessions;
    private readonly NotificationStore _store;
    private readonly IdentityService _identity;
    private readonly TimeProvider _time;
    private readonly FleetLink? _fleet;
    private readonly Lock _pendingLock = new();
    private int _pendingCount;
    private long _pendingCountAt = long.MinValue;
    private long _pendingCountVersion = -1;

    public StatusMethods(DaemonInfo info, DaemonOptions options, SessionRegistry sessions, NotificationStore store, IdentityService identity, TimeProvider time, FleetLink? fleet = null)
    {
        _info = info;
        _options = options;
        _sessions = sessions;
        _store = store;
        _identity = identity;
        _time = time;
        _fleet = fleet;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.DaemonStatus, (session, request, cancellationToken) =>
        {
            IdentitySnapshot identity = _identity.Snapshot();
            OutboxHealth outbox = _store.Health;
            var warnings = new List<string>(identity.Warnings);
            if (outbox.State != OutboxStates.Ok)
            {
                warnings.Add($"outbox {outbox.State} at {outbox.DetectedAt:u}: {outbox.Reason}" + (outbox.MovedAsideTo is null ? string.Empty : $" (the broken database is kept at {outbox.MovedAsideTo})"));
            }

            int pending = PendingCount(warnings);
            return ValueTask.FromResult(new StatusResult
            {
                Version = DaemonInfo.Version,
                UptimeSeconds = Math.Round(_time.GetElapsedTime(_info.StartedAt).TotalSeconds, 3),
                Pid = Environment.ProcessId,
                DevMode = _options.Dev,
                Agents = _sessions.AgentCounts(),
                Connections = _sessions.Count,
                PendingNotifications = pending,
                KeyClass = identity.KeyClass,
                IdentityState = identity.State,
                Fleet = _fleet?.Status(),
                Outbox = outbox,
                Warnings = warnings,
            });
        });
    }

    /// <summary>
    /// The outbox count costs a SQLite query, and status is open to every local user and polled by agents'
    /// heartbeats, scripts and monitors. One count serves every call until a write commits (the store's version
    /// moves) or a second passes (expiry changes the count without a write).
    /// </summary>
    private int PendingCount(List<string> warnings)
    {
        lock (_pendingLock)
        {
            long version = _store.Version;
            if (version != _pendingCountVersion || _time.GetElapsedTime(_pendingCountAt) >= s_pendingCountFreshFor)
            {
                try
                {
                    _pendingCount = _store.PendingCount(_time.GetUtcNow());
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    // Damage that appears while running: status still answers (with the last count) and says so.
                    warnings.Add($"the outbox cannot be read now ({ex.Message.TrimEnd('.')}); the pending count is from before");
                    return _pendingCount;
                }

                _pendingCountAt = _time.GetTimestamp();
                _pendingCountVersion = version;
            }

            return _pendingCount;
        }
    }
}
