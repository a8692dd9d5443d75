using System.Data.Common;
using Dapper;
using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Store;

/// <summary>
/// Broadcasts: one row in <c>broadcasts</c> plus one <c>notifications</c> row per machine, all written by
/// multi-row <c>INSERT … SELECT</c> from <c>machines</c> in one transaction (the same SQL on SQLite and
/// PostgreSQL). Each machine's copy is an ordinary outbox row (id <c>BROADCAST.MACHINE</c>), so delivery, outcomes
/// and a machine that connects later work exactly as for a single notification.
/// </summary>
internal sealed class BroadcastStore
{
    /// <summary>
    /// A machine's state, from least to most advanced: not yet accepted by its daemon, accepted with nothing
    /// reported, then the most advanced outcome any of its users reported (a machine with several users counts
    /// once, under the highest: clicked, dismissed, shown, submitted, failed, expired).
    /// </summary>
    public static IReadOnlyList<string> States { get; } =
        ["pending", "delivered", FleetOutcomes.Submitted, FleetOutcomes.Shown, FleetOutcomes.Clicked, FleetOutcomes.Dismissed, FleetOutcomes.Failed, FleetOutcomes.Expired];

    /// <summary>Per-user outcomes counted over all machines.</summary>
    public static IReadOnlyList<string> Outcomes { get; } =
        [FleetOutcomes.Pending, FleetOutcomes.Submitted, FleetOutcomes.Shown, FleetOutcomes.Clicked, FleetOutcomes.Dismissed, FleetOutcomes.Failed, FleetOutcomes.Expired];

    // The per-machine state in SQL: the highest-ranked outcome of its users, else pending/delivered.
    private const string MachineStates = """
        SELECT n.machine_id AS machine_id, n.id AS notification_id, n.delivered_at AS delivered_at,
               CASE MAX(CASE o.outcome WHEN 'clicked' THEN 6 WHEN 'dismissed' THEN 5 WHEN 'shown' THEN 4 WHEN 'submitted' THEN 3
                                       WHEN 'failed' THEN 2 WHEN 'expired' THEN 1 ELSE 0 END)
                    WHEN 6 THEN 'clicked' WHEN 5 THEN 'dismissed' WHEN 4 THEN 'shown' WHEN 3 THEN 'submitted'
                    WHEN 2 THEN 'failed' WHEN 1 THEN 'expired'
                    ELSE CASE WHEN n.delivered_at IS NULL THEN 'pending' ELSE 'delivered' END END AS state
        FROM notifications n LEFT JOIN notification_outcomes o ON o.notification_id = n.id
        WHERE n.broadcast_id = @id
        GROUP BY n.machine_id, n.id, n.delivered_at
        """;

    private const string Columns = "id, all_machines, grp, uid, all_users, title, body, url, machines, created_at, created_by";
    private readonly FleetDatabase _database;

    public BroadcastStore(FleetDatabase database)
    {
        _database = database;
    }

    /// <summary>True for a broadcast's id (b_…), false for a notification, including a machine's copy of a broadcast (b_….m_…).</summary>
    public static bool IsBroadcastId(string id) => id.StartsWith("b_", StringComparison.Ordinal) && !id.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// Stores the broadcast and one notification per machine of its target that is not revoked, in the caller's
    /// transaction; returns the number of machines, or null (nothing written) when it is over <paramref name="maxMachines"/>.
    /// </summary>
    public static async Task<long?> InsertAsync(DbConnection connection, DbTransaction transaction, BroadcastRow row, int maxMachines)
    {
        string target = row.AllMachines != 0 ? "revoked = 0" : "revoked = 0 AND grp = @Grp";
        long count = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM machines WHERE {target}", row, transaction).ConfigureAwait(false);
        if (count > maxMachines)
        {
            return null;
        }

        row.Machines = count;
        await connection.ExecuteAsync($"INSERT INTO broadcasts ({Columns}) VALUES (@Id, @AllMachines, @Grp, @Uid, @AllUsers, @Title, @Body, @Url, @Machines, @CreatedAt, @CreatedBy)", row, transaction).ConfigureAwait(false);
        long inserted = await connection.ExecuteAsync(
            $"""
            INSERT INTO notifications (id, machine_id, uid, all_users, title, body, url, created_at, created_by, delivered_at, broadcast_id)
            SELECT @Id || '.' || id, id, @Uid, @AllUsers, @Title, @Body, @Url, @CreatedAt, @CreatedBy, NULL, @Id FROM machines WHERE {target}
            """,
            row,
            transaction).ConfigureAwait(false);
        if (inserted != count)
        {
            // Another writer changed the target between the two statements (PostgreSQL, read committed): keep the
            // count true to the rows.
            await connection.ExecuteAsync("UPDATE broadcasts SET machines = @inserted WHERE id = @id", new { inserted, id = row.Id }, transaction).ConfigureAwait(false);
            row.Machines = inserted;
            if (inserted > maxMachines)
            {
                return null;
            }
        }

        if (row.Uid is long uid)
        {
            await connection.ExecuteAsync(
                "INSERT INTO notification_outcomes (notification_id, uid, outcome, action, at) SELECT id, @uid, @outcome, NULL, NULL FROM notifications WHERE broadcast_id = @id",
                new { id = row.Id, uid, outcome = FleetOutcomes.Pending },
                transaction).ConfigureAwait(false);
        }

        return row.Machines;
    }

    public async Task<BroadcastRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<BroadcastRow>($"SELECT {Columns} FROM broadcasts WHERE id = @id", new { id }).ConfigureAwait(false);
    }

    /// <summary>Machines per state (every state present, zero when none).</summary>
    public async Task<IReadOnlyDictionary<string, long>> StateCountsAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = States.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach ((string state, long count) in await connection.QueryAsync<(string, long)>($"SELECT state, COUNT(*) FROM ({MachineStates}) s GROUP BY state", new { id }).ConfigureAwait(false))
        {
            counts[state] = count;
        }

        return counts;
    }

    /// <summary>Users per reported outcome over all machines (every outcome present, zero when none).</summary>
    public async Task<IReadOnlyDictionary<string, long>> OutcomeCountsAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = Outcomes.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach ((string outcome, long count) in await connection.QueryAsync<(string, long)>(
            "SELECT o.outcome, COUNT(*) FROM notification_outcomes o JOIN notifications n ON n.id = o.notification_id WHERE n.broadcast_id = @id GROUP BY o.outcome",
            new { id }).ConfigureAwait(false))
        {
            counts[outcome] = count;
        }

        return counts;
    }

    /// <summary>A page of machines by id after <paramref name="after"/>, optionally in one state.</summary>
    public async Task<IReadOnlyList<BroadcastMachineRow>> MachinesAsync(string id, string? state, string? after, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string where = (state is null ? "1 = 1" : "state = @state") + (after is null ? string.Empty : " AND machine_id > @after");
        return (await connection.QueryAsync<BroadcastMachineRow>(
            $"SELECT machine_id, notification_id, delivered_at, state FROM ({MachineStates}) s WHERE {where} ORDER BY machine_id LIMIT @limit",
            new { id, state = state ?? string.Empty, after = after ?? string.Empty, limit = (long)limit }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The copies of a broadcast not yet accepted by their daemons, to machines not revoked.</summary>
    public async Task<IReadOnlyList<(string NotificationId, string MachineId)>> UndeliveredAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<(string, string)>(
            "SELECT n.id, n.machine_id FROM notifications n JOIN machines m ON m.id = n.machine_id WHERE n.broadcast_id = @id AND n.delivered_at IS NULL AND m.revoked = 0",
            new { id }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The newest broadcasts, for the console.</summary>
    public async Task<IReadOnlyList<BroadcastRow>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<BroadcastRow>($"SELECT {Columns} FROM broadcasts ORDER BY created_at DESC, id LIMIT @limit", new { limit = (long)limit }).ConfigureAwait(false)).AsList();
    }
}
