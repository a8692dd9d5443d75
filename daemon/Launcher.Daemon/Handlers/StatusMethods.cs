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
    private readonly DaemonInfo _info;
    private readonly DaemonOptions _options;
    private readonly SessionRegistry _sessions;
    private readonly NotificationStore _store;
    private readonly IdentityService _identity;
    private readonly TimeProvider _time;

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
                PendingNotifications = _store.PendingCount(_time.GetUtcNow()),
                KeyClass = identity.KeyClass,
                IdentityState = identity.State,
                Warnings = identity.Warnings,
            });
        });
    }
}
