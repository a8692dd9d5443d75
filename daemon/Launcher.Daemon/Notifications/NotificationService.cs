using Launcher.Contracts;
using Launcher.Contracts.Notifications;
using Launcher.Daemon.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Notifications;

/// <summary>
/// Sends notifications to agents: store first, then deliver to the connected agents of the target; deliver what
/// is pending when an agent registers; send unacknowledged ones again periodically; purge expired ones.
/// Agents show each id once, so repeated deliveries are harmless.
/// </summary>
internal sealed class NotificationService : BackgroundService
{
    private readonly NotificationStore _store;
    private readonly SessionRegistry _sessions;
    private readonly DaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationService> _logger;

    public NotificationService(NotificationStore store, SessionRegistry sessions, DaemonOptions options, TimeProvider time, ILogger<NotificationService> logger)
    {
        _store = store;
        _sessions = sessions;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<SendNotificationResult> SendAsync(SendNotificationParams request)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan lifetime = request.ExpiresInSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : _options.DefaultNotificationLifetime;
        var notification = new StoredNotification(
            "n_" + Guid.CreateVersion7(now).ToString("N"),
            request.AllUsers ? null : request.Uid,
            request.Title,
            request.Body,
            // Validation accepted the URL, so it normalises; the normalised form is what agents receive.
            request.Url is null ? null : NotificationTextRules.NormalizeUrl(request.Url, out _),
            request.Actions,
            now,
            now + lifetime);
        await _store.AddAsync(notification).ConfigureAwait(false);
        Log.NotificationStored(_logger, notification.Id, notification.TargetUid is uint uid ? "uid " + uid : "all users", notification.ExpiresAt);

        IReadOnlyList<Session> targets = _sessions.Agents(notification.TargetUid);
        ShowNotificationParams show = notification.ToShowParams();
        await Task.WhenAll(targets.Select(agent => DeliverAsync(agent, show))).ConfigureAwait(false);
        return new SendNotificationResult { Id = notification.Id, ExpiresAt = notification.ExpiresAt, DeliveredNow = targets.Count };
    }

    public async Task<AckNotificationResult> AckAsync(Session session, AckNotificationParams request)
    {
        uint uid = session.Caller.Uid;
        AckStatus status = await _store.AckAsync(request.Id, uid, request.Outcome, request.ActionId, _time.GetUtcNow()).ConfigureAwait(false);
        if (status == AckStatus.NotFound)
        {
            // Also the answer for another user's notification: existence is not revealed.
            throw new RpcException(ErrorCodes.NotFound, "No pending notification with that id for this user.");
        }

        if (status == AckStatus.Recorded)
        {
            Log.NotificationAcked(_logger, request.Id, uid, request.Outcome);
            if (request.Outcome == NotificationOutcomes.Failed)
            {
                if (session.Connection.LogThrottle.Allow(_logger))
                {
                    Log.NotificationFailedInSession(_logger, request.Id, uid, RpcLogText.Escape(request.Detail ?? "no detail"));
                }

            }
        }

        return new AckNotificationResult { Id = request.Id, AlreadyAcknowledged = status == AckStatus.AlreadyAcknowledged };
    }

    /// <summary>Sends everything pending for the agent's uid (after registration, and on each sweep).</summary>
    public async Task<int> DeliverPendingAsync(Session agent)
    {
        IReadOnlyList<StoredNotification> pending = _store.Pending(agent.Caller.Uid, _time.GetUtcNow());
        foreach (StoredNotification notification in pending)
        {
            await DeliverAsync(agent, notification.ToShowParams()).ConfigureAwait(false);
        }

        return pending.Count;
    }

    public int PendingCount(uint uid) => _store.Pending(uid, _time.GetUtcNow()).Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RedeliveryInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                int expired = await _store.PurgeExpiredAsync(_time.GetUtcNow()).ConfigureAwait(false);
                if (expired > 0)
                {
                    Log.NotificationsExpired(_logger, expired);
                }

                foreach (Session agent in _sessions.Agents(null))
                {
                    await DeliverPendingAsync(agent).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                Log.RedeliveryFailed(_logger, ex);
            }
        }
    }

    private async Task DeliverAsync(Session agent, ShowNotificationParams show)
    {
        try
        {
            await agent.Connection.NotifyAsync(Methods.NotificationShow, show).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcConnectionLostException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Still pending in the store: it goes out again when an agent of this uid connects.
            Log.DeliveryFailed(_logger, show.Id, agent.AgentId ?? "?", RpcLogText.Escape(ex.Message));
        }
    }
}
