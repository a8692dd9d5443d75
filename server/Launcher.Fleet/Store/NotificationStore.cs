using System.Data.Common;
using Dapper;
using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Store;

/// <summary>Notifications per machine (an outbox: a row first, delivery after) and their per-user outcomes.</summary>
internal sealed class NotificationStore
{
    private const string Columns = "id, machine_id, uid, all_users, title, body, url, created_at, created_by, delivered_at, broadcast_id";
    private readonly FleetDatabase _database;

    public NotificationStore(FleetDatabase database)
    {
        _database = database;
    }

    /// <summary>Stores a notification (and, for one uid, its pending outcome) in the caller's transaction.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, NotificationRow row)
    {
        await connection.ExecuteAsync($"INSERT INTO notifications ({Columns}) VALUES (@Id, @MachineId, @Uid, @AllUsers, @Title, @Body, @Url, @CreatedAt, @CreatedBy, @DeliveredAt, @BroadcastId)", row, transaction).ConfigureAwait(false);
        if (row.Uid is long uid)
        {
            await connection.ExecuteAsync(
                "INSERT INTO notification_outcomes (notification_id, uid, outcome, action, at) VALUES (@id, @uid, @outcome, NULL, NULL)",
                new { id = row.Id, uid, outcome = FleetOutcomes.Pending },
                transaction).ConfigureAwait(false);
        }
    }

    public async Task<NotificationRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<NotificationRow>($"SELECT {Columns} FROM notifications WHERE id = @id", new { id }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutcomeRow>> OutcomesAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<OutcomeRow>("SELECT notification_id, uid, outcome, action, at FROM notification_outcomes WHERE notification_id = @id ORDER BY uid", new { id }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The outcomes of several notifications (a page of a broadcast).</summary>
    public async Task<IReadOnlyList<OutcomeRow>> OutcomesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new DynamicParameters();
        return (await connection.QueryAsync<OutcomeRow>($"SELECT notification_id, uid, outcome, action, at FROM notification_outcomes WHERE {SqlIn.Of("notification_id", ids, parameters)} ORDER BY notification_id, uid", parameters).ConfigureAwait(false)).AsList();
    }

    public async Task<IReadOnlyList<NotificationRow>> ListForMachineAsync(string machineId, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NotificationRow>($"SELECT {Columns} FROM notifications WHERE machine_id = @machineId ORDER BY created_at DESC LIMIT @limit", new { machineId, limit = (long)limit }).ConfigureAwait(false)).AsList();
    }

    public async Task<IReadOnlyList<NotificationRow>> UndeliveredAsync(string machineId, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<NotificationRow>($"SELECT {Columns} FROM notifications WHERE machine_id = @machineId AND delivered_at IS NULL ORDER BY created_at, id LIMIT @limit", new { machineId, limit = (long)limit }).ConfigureAwait(false)).AsList();
    }

    /// <summary>Marks notifications accepted by their daemons, in the caller's transaction (one statement for the batch).</summary>
    public static Task MarkDeliveredAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> ids, long now)
    {
        var parameters = new DynamicParameters(new { now });
        return connection.ExecuteAsync($"UPDATE notifications SET delivered_at = @now WHERE {SqlIn.Of("id", ids, parameters)} AND delivered_at IS NULL", parameters, transaction);
    }

    /// <summary>The machine each of <paramref name="ids"/> was sent to (absent: no such notification).</summary>
    public static async Task<Dictionary<string, string>> OwnersAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> ids)
    {
        var parameters = new DynamicParameters();
        IEnumerable<(string Id, string MachineId)> rows = await connection.QueryAsync<(string, string)>($"SELECT id, machine_id FROM notifications WHERE {SqlIn.Of("id", ids, parameters)}", parameters, transaction).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.MachineId, StringComparer.Ordinal);
    }

    /// <summary>
    /// Applies a reported outcome at most once per (id, uid), in the caller's transaction: a final outcome is never
    /// replaced, "shown" only by a final one; a repeat changes nothing. The caller has checked that the
    /// notification is the reporting machine's.
    /// </summary>
    public static Task ApplyOutcomeAsync(DbConnection connection, DbTransaction transaction, OutcomeParams outcome) =>
        connection.ExecuteAsync(
            """
            INSERT INTO notification_outcomes (notification_id, uid, outcome, action, at) VALUES (@id, @uid, @outcome, @action, @at)
            ON CONFLICT (notification_id, uid) DO UPDATE SET outcome = excluded.outcome, action = excluded.action, at = excluded.at
            WHERE notification_outcomes.outcome IN ('pending', 'submitted')
               OR (notification_outcomes.outcome = 'shown' AND excluded.outcome IN ('clicked', 'dismissed', 'failed', 'expired'))
            """,
            new { id = outcome.Id, uid = (long)outcome.Uid, outcome = outcome.Outcome, action = outcome.Action, at = outcome.At },
            transaction);
}
