using Launcher.Contracts;
using Launcher.Contracts.Fleet;
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
        try
        {
            await _store.AddAsync(notification).ConfigureAwait(false);
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            Log.DiskFull(_logger, "notification/send", ex.Message);
            throw DiskFull.Error("the notification was not stored");
        }

        Log.NotificationStored(_logger, notification.Id, notification.TargetUid is uint uid ? "uid " + uid : "all users", notification.ExpiresAt);

        IReadOnlyList<Session> targets = _sessions.Agents(notification.TargetUid);
        IReadOnlyList<string> warnings = CapabilityWarnings.For(request, targets);
        foreach (string warning in warnings)
        {
            Log.NotificationSendWarning(_logger, notification.Id, warning);
        }

        // Committed: the caller's answer no longer depends on any agent. Delivery runs in the background, each
        // write bounded by the write timeout and each agent by a cap on deliveries in flight; an agent at its cap
        // gets this notification from the next redelivery sweep instead.
        ShowNotificationParams show = notification.ToShowParams();
        int started = 0;
        foreach (Session agent in targets)
        {
            if (!agent.TryBeginDelivery(_options.Limits.MaxDeliveriesInFlightPerAgent))
            {
                Log.DeliveryDeferred(_logger, notification.Id, agent.AgentId ?? "?", _options.Limits.MaxDeliveriesInFlightPerAgent);
                continue;
            }

            started++;
            _ = DeliverInBackgroundAsync(agent, show);
        }

        return new SendNotificationResult { Id = notification.Id, ExpiresAt = notification.ExpiresAt, DeliveredNow = started, Warnings = warnings };
    }

    /// <summary>
    /// A notification from the fleet server: stored through the same outbox, deduplicated on the server's id; the
    /// task completes once it is committed (delivery to connected agents runs after, off the caller's path).
    /// </summary>
    public async Task<string> SendFromFleetAsync(FleetNotificationParams request, TimeSpan lifetime)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var notification = new StoredNotification(
            "n_" + Guid.CreateVersion7(now).ToString("N"),
            request.AllUsers ? null : request.Uid,
            request.Title,
            request.Body,
            request.Url,
            request.Actions,
            now,
            now + lifetime);
        string? existing = await _store.AddFromFleetAsync(notification, request.Id).ConfigureAwait(false);
        if (existing is not null)
        {
            Log.FleetNotificationRepeated(_logger, request.Id, existing);
            return existing;
        }

        Log.FleetNotificationStored(_logger, request.Id, notification.Id);
        IReadOnlyList<Session> targets = _sessions.Agents(notification.TargetUid);
        ShowNotificationParams show = notification.ToShowParams();
        _ = Task.Run(() => Task.WhenAll(targets.Select(agent => DeliverAsync(agent, show))), CancellationToken.None);
        return notification.Id;
    }

    public async Task<AckNotificationResult> AckAsync(Session session, AckNotificationParams request)
    {
        uint uid = session.Caller.Uid;
        AckStatus status;
        string? previous;
        try
        {
            (status, previous) = await _store.AckAsync(request.Id, uid, request.Outcome, request.ActionId, _time.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            Log.DiskFull(_logger, "notification/ack", ex.Message);
            throw DiskFull.Error("the acknowledgement was not recorded");
        }

        if (status == AckStatus.NotFound)
        {
            // Also the answer for another user's notification: existence is not revealed.
            throw new RpcException(ErrorCodes.NotFound, "No pending notification with that id for this user.");
        }

        if (status is AckStatus.Recorded or AckStatus.Updated)
        {
            if (status == AckStatus.Updated)
            {
                Log.NotificationOutcomeUpdated(_logger, request.Id, uid, previous!, request.Outcome);
            }
            else
            {
                Log.NotificationAcked(_logger, request.Id, uid, request.Outcome);
            }

            if (request.ActionId is not null)
            {
                Log.NotificationActionClicked(_logger, request.Id, uid, request.ActionId);
            }

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
        while (await WaitForNextSweepAsync(timer, stoppingToken).ConfigureAwait(false))
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

    private static async ValueTask<bool> WaitForNextSweepAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (or a start that failed and disposes the host): not an error.
            return false;
        }
    }

    private async Task DeliverInBackgroundAsync(Session agent, ShowNotificationParams show)
    {
        try
        {
            await DeliverAsync(agent, show).ConfigureAwait(false);
        }
        finally
        {
            agent.EndDelivery();
        }
    }

    private async Task DeliverAsync(Session agent, ShowNotificationParams show)
    {
        try
        {
            await agent.Connection.NotifyAsync(Methods.NotificationShow, show).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcConnectionLostException or RpcException or TimeoutException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Still pending in the store: it goes out again when an agent of this uid connects.
            Log.DeliveryFailed(_logger, show.Id, agent.AgentId ?? "?", RpcLogText.Escape(ex.Message));
        }
    }
}
