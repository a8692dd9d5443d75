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
    private readonly FleetContext _context;
    private readonly SessionRegistry _sessions;
    private readonly WakeBus _wake;
    private readonly ILogger _logger;

    public PushService(FleetContext context, SessionRegistry sessions, WakeBus wake, ILogger<PushService> logger)
    {
        _context = context;
        _sessions = sessions;
        _wake = wake;
        _logger = logger;
        wake.OnWake = OnWakeAsync;
    }

    /// <summary>Stores a notification for a machine and wakes its connection; the outcome says why not when it cannot.</summary>
    public async Task<(string? Id, string? Problem, int Status)> CreateNotificationAsync(string machineId, NotificationRequest request, string actor, CancellationToken cancellationToken)
    {
        string id = "n_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var wire = new FleetNotificationParams { Id = id, Uid = request.Uid, AllUsers = request.AllUsers, Title = request.Title ?? string.Empty, Body = request.Body ?? string.Empty, Url = request.Url };
        if (request.Title is null || request.Body is null)
        {
            return (null, "title and body are required.", 400);
        }

        if (wire.Validate() is string invalid)
        {
            return (null, invalid, 400);
        }

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
        if (!await session.DeliveryLock.WaitAsync(0).ConfigureAwait(false))
        {
            // A delivery run is in progress; it re-reads the outbox until it is empty.
            return;
        }

        try
        {
            while (!session.Connection.Closed.IsCancellationRequested)
            {
                IReadOnlyList<NotificationRow> batch = await _context.Notifications.UndeliveredAsync(machineId, _context.Limits.DeliveryBatch, CancellationToken.None).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (NotificationRow row in batch)
                {
                    var request = new FleetNotificationParams
                    {
                        Id = row.Id,
                        Uid = row.Uid is long uid ? (uint)uid : null,
                        AllUsers = row.AllUsers != 0,
                        Title = row.Title,
                        Body = row.Body,
                        Url = row.Url,
                    };
                    try
                    {
                        FleetNotificationResult result = await session.Connection.InvokeAsync(FleetMethods.NotificationSend, request, session.Connection.Closed, _context.Limits.DaemonCallTimeout).ConfigureAwait(false);
                        if (!result.Accepted)
                        {
                            Log.DeliveryFailed(_logger, row.Id, machineId, "the daemon did not accept it");
                            return;
                        }
                    }
                    catch (Exception ex) when (ex is RpcException or RpcConnectionLostException or OperationCanceledException)
                    {
                        // Stays undelivered: the next connection or sweep tries again.
                        Log.DeliveryFailed(_logger, row.Id, machineId, ex.Message);
                        return;
                    }

                    await _context.Notifications.MarkDeliveredAsync(row.Id, _context.NowMs, CancellationToken.None).ConfigureAwait(false);
                    Log.Delivered(_logger, row.Id, machineId);
                }
            }
        }
        finally
        {
            session.DeliveryLock.Release();
        }
    }

    private async Task OnWakeAsync(string? machineId)
    {
        if (machineId is null)
        {
            await SweepAsync().ConfigureAwait(false);
            return;
        }

        Log.WakeReceived(_logger, machineId);
        if (_sessions.TryGet(machineId, out LinkSession session))
        {
            await ServeAsync(session).ConfigureAwait(false);
        }
    }
}
