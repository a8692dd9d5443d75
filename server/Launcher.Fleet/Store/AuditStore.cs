using System.Data.Common;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>The append-only audit log: enrolments, re-enrolments, revocations, notifications, token creation, refusals.</summary>
internal sealed class AuditStore
{
    private readonly FleetDatabase _database;

    public AuditStore(FleetDatabase database)
    {
        _database = database;
    }

    public static Task AppendAsync(DbConnection connection, DbTransaction? transaction, long at, string actor, string action, string? machineId, string? detail) =>
        connection.ExecuteAsync(
            "INSERT INTO audit_log (at, actor, action, machine_id, detail) VALUES (@at, @actor, @action, @machineId, @detail)",
            new { at, actor, action, machineId, detail },
            transaction);

    public async Task AppendAsync(long at, string actor, string action, string? machineId, string? detail, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await AppendAsync(connection, null, at, actor, action, machineId, detail).ConfigureAwait(false);
    }

    /// <summary>Newest first; <paramref name="beforeId"/> pages back.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeId, string? machineId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string where = (beforeId is null ? "1 = 1" : "id < @beforeId") + (machineId is null ? string.Empty : " AND machine_id = @machineId");
        return (await connection.QueryAsync<AuditEntry>(
            $"SELECT id, at, actor, action, machine_id, detail FROM audit_log WHERE {where} ORDER BY id DESC LIMIT @limit",
            new { limit = (long)limit, beforeId = beforeId ?? 0, machineId = machineId ?? string.Empty }).ConfigureAwait(false)).AsList();
    }
}
