using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Daemon.Notifications;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Handlers;

/// <summary><c>agent/register</c>: the connection becomes the agent of its kernel uid.</summary>
internal sealed class AgentMethods : IMethodModule
{
    private readonly SessionRegistry _sessions;
    private readonly NotificationService _notifications;
    private readonly ILogger<AgentMethods> _logger;

    public AgentMethods(SessionRegistry sessions, NotificationService notifications, ILogger<AgentMethods> logger)
    {
        _sessions = sessions;
        _notifications = notifications;
        _logger = logger;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.AgentRegister, RegisterAsync);
    }

    private ValueTask<RegisterResult> RegisterAsync(Session session, RegisterParams request, CancellationToken cancellationToken)
    {
        uint uid = session.Caller.Uid;
        if (request.Uid is uint claimed && claimed != uid)
        {
            if (session.Connection.LogThrottle.Allow(_logger))
            {
                Log.Denied(_logger, Methods.AgentRegister.Name, session.Caller.ToString(), $"claimed uid {claimed}");
            }

            throw new RpcException(ErrorCodes.AccessDenied, $"This connection belongs to uid {uid}; it cannot register for uid {claimed}.");
        }

        if (request.UserKey is { } userKey && !UserKeyClasses.CanBack(userKey.KeyClass))
        {
            // The key class travels into proofs; only accept a class this platform can actually hold.
            string reason = $"userKey.keyClass {userKey.KeyClass} is not possible on this platform (no Secure Enclave here); offer {KeyClasses.UserSoftware}.";
            if (session.Connection.LogThrottle.Allow(_logger))
            {
                Log.UserKeyRefused(_logger, session.Caller.ToString(), reason);
            }

            throw new RpcException(RpcErrorCodes.InvalidParams, reason);
        }

        string agentId = $"a{session.Id}-{uid}";
        if (!session.TryMarkRegistered(agentId, request.Presenter, request.Capabilities, request.UserKey))
        {
            throw new RpcException(ErrorCodes.Conflict, "This connection is already registered.");
        }

        // Agents are long-lived by design; the per-uid connection cap bounds them instead of the idle timeout.
        session.Connection.IdleTimeout = null;
        _sessions.AddAgent(session);
        if (session.Connection.LogThrottle.Allow(_logger))
        {
            Log.AgentRegistered(_logger, agentId, uid, session.Caller.Pid, RpcLogText.Escape(request.Presenter ?? "unknown"));
            Log.AgentCapabilities(_logger, agentId, session.Capabilities.Clicks, session.Capabilities.Actions, session.Capabilities.TruthfulDelivery, request.Capabilities is null);
        }

        int pending;
        try
        {
            pending = _notifications.PendingCount(uid);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // An outbox damaged while running must not stop agents from registering; delivery retries on the sweep.
            pending = 0;
        }


        // Delivered off the read loop; the agent serves notification/show from the moment it connects, so the
        // order against this result does not matter, and its acks pass because the session is registered already.
        _ = Task.Run(() => _notifications.DeliverPendingAsync(session), CancellationToken.None);
        return ValueTask.FromResult(new RegisterResult { Uid = uid, AgentId = agentId, Pending = pending });
    }
}
