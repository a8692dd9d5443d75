using System.Data.Common;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>
/// Single-use values in the database, so that every instance sees the same state: used proof ids and relying
/// services' nonces of /api/v1/verify (inserted once; a second insert is a replay). The link's challenge nonces are
/// bound to their connection and live with it (<c>Link.ChallengeNonces</c>).
/// </summary>
internal sealed class NonceStore
{
    private readonly FleetDatabase _database;

    public NonceStore(FleetDatabase database)
    {
        _database = database;
    }

    /// <summary>Records a value seen once (a proof's jti, a relying service's nonce); false when it was seen before.</summary>
    public async Task<bool> RecordOnceAsync(string value, string scope, long expiresAt, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int rows = await connection.ExecuteAsync(
            "INSERT INTO nonces (value, scope, expires_at) VALUES (@value, @scope, @expiresAt) ON CONFLICT (value) DO NOTHING",
            new { value = "u:" + value, scope, expiresAt }).ConfigureAwait(false);
        return rows == 1;
    }

    public async Task<int> PurgeExpiredAsync(long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("DELETE FROM nonces WHERE expires_at <= @now", new { now }).ConfigureAwait(false);
    }
}
