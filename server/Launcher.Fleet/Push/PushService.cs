using System.Data.Common;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Push;

/// <summary>
/// Work for machines: a durable row first, then a wake-up of the instance that holds the machine's connection,
/// which delivers every undelivered row over the link. A machine that is offline gets its rows on its next
/// connection. Revocation goes the same way: recorded, then the holding instance closes the connection.
/// </summary>
internal sealed class PushService
{
    private const string BroadcastWake = "broadcast:";
    private readonly FleetContext _context;
    private readonly SessionRegistry _sessions;
    private readonly WakeBus _wake;
    private readonly AckWriter _acks;
    private readonly ILogger _logger;

    public PushService(FleetContext context, SessionRegistry sessions, WakeBus wake, AckWriter acks, ILogger<PushService> logger)
    {
        _context = context;
        _sessions = sessions;
        _wake = wake;
        _acks = acks;
        _logger = logger;
        wake.OnWake = OnWakeAsync;
    }

    /// <summary>Stores a notification for a machine and wakes its connection; the outcome says why not when it cannot.</summary>
    public async Task<(string? Id, string? Problem, int Status)> CreateNotificationAsync(string machineId, NotificationRequest request, string actor, CancellationToken cancellationToken)
    {
        string id = "n_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        if (request.Validate() is string invalid)
        {
            return (null, invalid, 400);
        }

        FleetNotificationParams wire = request.ToWire(id);

        MachineRow? machine = await _context.Machines.GetAsync(machineId, cancellationToken).ConfigureAwait(false);
        if (machine is null)
        {
            return (null, "No machine with this id.", 404);
        }

        if (machine.IsRevoked)
        {
            return (null, "The machine is revoked; nothing is delivered to it.", 409);
        }

        long now = _context.NowMs;
        await using (DbConnection connection = await _context.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await NotificationStore.InsertAsync(connection, transaction, new NotificationRow
            {
                Id = id,
                MachineId = machineId,
                Uid = request.Uid,
                AllUsers = request.AllUsers ? 1 : 0,
                Title = wire.Title,
                Body = wire.Body,
                Url = wire.Url,
                CreatedAt = now,
                CreatedBy = actor,
            }).ConfigureAwait(false);
            await AuditStore.AppendAsync(connection, transaction, now, actor, "notification.created", machineId,
                $"{id} to {(request.AllUsers ? "all users" : "uid " + request.Uid)}").ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await WakeAsync(machineId, cancellationToken).ConfigureAwait(false);
        return (id, null, 201);
    }

    /// <summary>
    /// Stores a notification for every machine of the target that is not revoked (one transaction: the broadcast,
    /// its per-machine rows, one audit entry), then wakes every instance once; each sends to the machines it holds.
    /// </summary>
    public async Task<(string? Id, long Machines, string? Problem, int Status)> BroadcastAsync(BroadcastRequest request, string actor, CancellationToken cancellationToken)
    {
        if (request.AllMachines == request.Group is not null)
        {
            return (null, 0, "The target needs exactly one of allMachines (true) and group.", 400);
        }

        if (request.Group is { } group && (group.Length is 0 or > FleetServerLimits.MaxGroupLength || group.Any(char.IsControl)))
        {
            return (null, 0, $"group must be 1 to {FleetServerLimits.MaxGroupLength} characters without control characters.", 400);
        }

        NotificationRequest content = request.Content;
        if (content.Validate() is string invalid)
        {
            return (null, 0, invalid, 400);
        }

        string id = "b_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        string target = request.AllMachines ? "all machines" : "group " + request.Group;
        long now = _context.NowMs;
        var row = new BroadcastRow
        {
            Id = id,
            AllMachines = request.AllMachines ? 1 : 0,
            Grp = request.Group,
            Uid = request.Uid,
            AllUsers = request.AllUsers ? 1 : 0,
            Title = request.Title!,
            Body = request.Body!,
            Url = request.Url,
            CreatedAt = now,
            CreatedBy = actor,
        };
        int limit = _context.Limits.MaxBroadcastMachines;
        long machines;
        await using (DbConnection connection = await _context.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            long? stored = await BroadcastStore.InsertAsync(connection, transaction, row, limit).ConfigureAwait(false);
            if (stored is null)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return (null, 0, $"The target ({target}) has {row.Machines} machines; a broadcast reaches at most {limit}. Send one per group.", 400);
            }

            if (stored == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return (null, 0, request.AllMachines ? "No machine is enrolled that is not revoked." : $"No machine that is not revoked is in group {request.Group}.", 404);
            }

            machines = stored.Value;
            await AuditStore.AppendAsync(connection, transaction, now, actor, "broadcast.created", null,
                $"{id} to {target} ({machines} machines), {(request.AllUsers ? "all users" : "uid " + request.Uid)}").ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        Log.BroadcastCreated(_logger, id, target, machines, actor);

        // Sending runs after the answer, on every instance, and does not depend on this request.
        _ = Task.Run(() => DeliverBroadcastAsync(id), CancellationToken.None);
        if (_context.Database.Kind == DatabaseKind.Postgres)
        {
            // One NOTIFY for the whole broadcast: each other instance sends to the machines it holds. It is stored
            // already: a lost wake-up only delays the other instances' machines to their next sweep.
            try
            {
                await _wake.PublishAsync(BroadcastWake + id + ":" + _context.InstanceId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
            {
                Log.SweepFailed(_logger, ex.Message);
            }
        }

        return (id, machines, null, 202);
    }

    /// <summary>Revokes a machine; its open connection, on whichever instance, is closed. False when unknown.</summary>
    public async Task<bool> RevokeAsync(string machineId, string actor, CancellationToken cancellationToken)
    {
        long now = _context.NowMs;
        await using (DbConnection connection = await _context.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await MachineStore.RevokeAsync(connection, transaction, machineId, now).ConfigureAwait(false))
            {
                return false;
            }

            await AuditStore.AppendAsync(connection, transaction, now, actor, "machine.revoked", machineId, null).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        Log.Revoked(_logger, machineId, actor);
        await WakeAsync(machineId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Wakes the connection of <paramref name="machineId"/>: here if this instance holds it, otherwise through the bus.</summary>
    public async Task WakeAsync(string machineId, CancellationToken cancellationToken)
    {
        if (_sessions.TryGet(machineId, out LinkSession session))
        {
            _ = ServeAsync(session);
            return;
        }

        if (_context.Database.Kind == DatabaseKind.Postgres)
        {
            await _wake.PublishAsync(machineId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every local connection: close revoked ones, deliver undelivered work to the others.</summary>
    public async Task SweepAsync()
    {
        foreach (LinkSession session in _sessions.Snapshot())
        {
            await ServeAsync(session).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the session if its machine is revoked; otherwise delivers what is waiting for it.</summary>
    public async Task ServeAsync(LinkSession session)
    {
        string? machineId = session.MachineId;
        if (machineId is null || session.Connection.Closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            MachineRow? machine = await _context.Machines.GetAsync(machineId, CancellationToken.None).ConfigureAwait(false);
            if (machine is null || machine.IsRevoked)
            {
                await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "The machine is revoked.").ConfigureAwait(false);
                return;
            }

            await DeliverAsync(session, machineId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            Log.SweepFailed(_logger, ex.Message);
        }
    }

    private async Task DeliverAsync(LinkSession session, string machineId)
    {
        session.RequestDelivery();
        while (session.WantsDelivery)
        {
            if (!await session.DeliveryLock.WaitAsync(0).ConfigureAwait(false))
            {
                // A delivery run is in progress; it sees the request and reads the outbox again.
                return;
            }

            try
            {
                while (session.TakeDeliveryRequest())
                {
                    if (!await DrainOutboxAsync(session, machineId).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            finally
            {
                session.DeliveryLock.Release();
            }
        }
    }

    /// <summary>Sends every undelivered row of the machine; false when a send failed (the rows wait for the next run).</summary>
    private async Task<bool> DrainOutboxAsync(LinkSession session, string machineId)
    {
        while (!session.Connection.Closed.IsCancellationRequested)
        {
            IReadOnlyList<NotificationRow> batch = await _context.Notifications.UndeliveredAsync(machineId, _context.Limits.DeliveryBatch, CancellationToken.None).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return true;
            }

            foreach (NotificationRow row in batch)
            {
                FleetNotificationParams request = Request(row.Id, row.Uid, row.AllUsers, row.Title, row.Body, row.Url);
                if (!await SendAsync(session, machineId, request).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// notification/send, then the delivery mark (committed before this returns true). A broadcast's copies are not
    /// logged one by one (<paramref name="logDelivery"/> false): its one summary line says how many were sent.
    /// </summary>
    private async Task<bool> SendAsync(LinkSession session, string machineId, FleetNotificationParams request, bool logDelivery = true)
    {
        try
        {
            FleetNotificationResult result = await session.Connection.InvokeAsync(FleetMethods.NotificationSend, request, session.Connection.Closed, _context.Limits.DaemonCallTimeout).ConfigureAwait(false);
            if (!result.Accepted)
            {
                Log.DeliveryFailed(_logger, request.Id, machineId, "the daemon did not accept it");
                return false;
            }
        }
        catch (Exception ex) when (ex is RpcException or RpcConnectionLostException or OperationCanceledException)
        {
            // Stays undelivered: the next connection or sweep tries again.
            Log.DeliveryFailed(_logger, request.Id, machineId, ex.Message);
            return false;
        }

        await _acks.MarkDeliveredAsync(request.Id, CancellationToken.None).ConfigureAwait(false);
        if (logDelivery)
        {
            Log.Delivered(_logger, request.Id, machineId);
        }

        return true;
    }

    /// <summary>
    /// Sends a broadcast's copies to the machines this instance holds: one read of the copies not yet delivered,
    /// then notification/send on each connection (bounded in flight), without a read per machine. A connection busy
    /// with a delivery run gets the copy from that run (it is in the outbox); a machine not connected gets it when
    /// it connects.
    /// </summary>
    public async Task DeliverBroadcastAsync(string broadcastId)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            BroadcastRow? broadcast = await _context.Broadcasts.GetAsync(broadcastId, CancellationToken.None).ConfigureAwait(false);
            if (broadcast is null)
            {
                return;
            }

            var local = new List<(LinkSession Session, string NotificationId, string MachineId)>();
            foreach ((string notificationId, string machineId) in await _context.Broadcasts.UndeliveredAsync(broadcastId, CancellationToken.None).ConfigureAwait(false))
            {
                if (_sessions.TryGet(machineId, out LinkSession session))
                {
                    local.Add((session, notificationId, machineId));
                }
            }

            int accepted = 0;
            await Parallel.ForEachAsync(local, new ParallelOptions { MaxDegreeOfParallelism = _context.Limits.BroadcastSendConcurrency }, async (copy, _) =>
            {
                FleetNotificationParams request = Request(copy.NotificationId, broadcast.Uid, broadcast.AllUsers, broadcast.Title, broadcast.Body, broadcast.Url);
                if (await SendCopyAsync(copy.Session, copy.MachineId, request).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref accepted);
                }
            }).ConfigureAwait(false);
            Log.BroadcastSent(_logger, broadcastId, local.Count, accepted, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            // The copies stay in the outboxes: the sweep and the next connections deliver them.
            Log.SweepFailed(_logger, ex.Message);
        }
    }

    private async Task<bool> SendCopyAsync(LinkSession session, string machineId, FleetNotificationParams request)
    {
        if (session.Connection.Closed.IsCancellationRequested)
        {
            return false;
        }

        if (!await session.DeliveryLock.WaitAsync(0).ConfigureAwait(false))
        {
            session.RequestDelivery();
            _ = DeliverAsync(session, machineId);
            return false;
        }

        bool sent;
        try
        {
            sent = await SendAsync(session, machineId, request, logDelivery: false).ConfigureAwait(false);
        }
        finally
        {
            session.DeliveryLock.Release();
        }

        if (session.WantsDelivery)
        {
            _ = ServeAsync(session);
        }

        return sent;
    }

    private async Task OnWakeAsync(string? machineId)
    {
        if (machineId is null)
        {
            await SweepAsync().ConfigureAwait(false);
            return;
        }

        if (machineId.StartsWith(BroadcastWake, StringComparison.Ordinal))
        {
            // broadcast:ID:ORIGIN; the instance that created it is already sending.
            string[] parts = machineId.Split(':');
            if (parts.Length == 3 && parts[2] != _context.InstanceId)
            {
                await DeliverBroadcastAsync(parts[1]).ConfigureAwait(false);
            }

            return;
        }

        Log.WakeReceived(_logger, machineId);
        if (_sessions.TryGet(machineId, out LinkSession session))
        {
            await ServeAsync(session).ConfigureAwait(false);
        }
    }

    /// <summary>The <c>notification/send</c> call for one machine's row (a single notification or a broadcast's copy).</summary>
    private static FleetNotificationParams Request(string id, long? uid, long allUsers, string title, string body, string? url) => new()
    {
        Id = id,
        Uid = uid is long value ? (uint)value : null,
        AllUsers = allUsers != 0,
        Title = title,
        Body = body,
        Url = url,
    };
}
