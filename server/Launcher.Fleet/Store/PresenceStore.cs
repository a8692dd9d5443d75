using System.Data.Common;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>Which instance holds each machine's connection (one row per connected machine).</summary>
internal sealed class PresenceStore
{
    private readonly FleetDatabase _database;

    public PresenceStore(FleetDatabase database)
    {
        _database = database;
    }

    public async Task SetAsync(string machineId, string instanceId, string connectionId, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO presence (machine_id, instance_id, connection_id, since, heartbeat_at) VALUES (@machineId, @instanceId, @connectionId, @now, @now)
            ON CONFLICT (machine_id) DO UPDATE SET instance_id = excluded.instance_id, connection_id = excluded.connection_id, since = excluded.since, heartbeat_at = excluded.heartbeat_at
            """,
            new { machineId, instanceId, connectionId, now }).ConfigureAwait(false);
    }

    /// <summary>Removes the row only if it is still this connection's (a newer connection elsewhere keeps its row).</summary>
    public async Task RemoveAsync(string machineId, string connectionId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM presence WHERE machine_id = @machineId AND connection_id = @connectionId", new { machineId, connectionId }).ConfigureAwait(false);
    }

    public async Task HeartbeatAsync(string instanceId, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE presence SET heartbeat_at = @now WHERE instance_id = @instanceId", new { instanceId, now }).ConfigureAwait(false);
    }

    public async Task RemoveInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM presence WHERE instance_id = @instanceId", new { instanceId }).ConfigureAwait(false);
    }

    /// <summary>The instance holding <paramref name="machineId"/>'s connection, if its row is fresh.</summary>
    public async Task<string?> InstanceOfAsync(string machineId, long freshSince, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT instance_id FROM presence WHERE machine_id = @machineId AND heartbeat_at >= @freshSince", new { machineId, freshSince }).ConfigureAwait(false);
    }

    /// <summary>Every machine with a fresh presence row.</summary>
    public async Task<HashSet<string>> OnlineAsync(long freshSince, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>("SELECT machine_id FROM presence WHERE heartbeat_at >= @freshSince", new { freshSince }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }
}
