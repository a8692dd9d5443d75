using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>
/// Single-use values in the database, so that every instance sees the same state: challenge nonces (stored when
/// issued, consumed by an atomic DELETE … RETURNING) and used proof ids (inserted once; a second insert is a replay).
/// </summary>
internal sealed class NonceStore
{
    private readonly FleetDatabase _database;

    public NonceStore(FleetDatabase database)
    {
        _database = database;
    }

    /// <summary>Issues a nonce bound to <paramref name="scope"/> (a connection id), stored before it is returned.</summary>
    public async Task<string> IssueAsync(string scope, long expiresAt, CancellationToken cancellationToken)
    {
        string value = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("INSERT INTO nonces (value, scope, expires_at) VALUES (@value, @scope, @expiresAt)", new { value = "n:" + value, scope, expiresAt }).ConfigureAwait(false);
        return value;
    }

    /// <summary>Consumes a nonce issued for <paramref name="scope"/>; false when unknown, of another scope, expired, or already used.</summary>
    public async Task<bool> ConsumeAsync(string value, string scope, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string? consumed = await connection.QuerySingleOrDefaultAsync<string?>(
            "DELETE FROM nonces WHERE value = @value AND scope = @scope AND expires_at > @now RETURNING value",
            new { value = "n:" + value, scope, now }).ConfigureAwait(false);
        return consumed is not null;
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
