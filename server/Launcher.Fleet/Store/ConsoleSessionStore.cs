using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>
/// Web console sessions, server-side: the browser's cookie holds a random session secret, the database only its
/// SHA-256 hash and the admin token it was opened with. A session ends at its expiry, at logout, or when that admin
/// token is revoked; the admin token itself never leaves the login request.
/// </summary>
internal sealed class ConsoleSessionStore
{
    public const string Prefix = "lfs_";
    private readonly FleetDatabase _database;

    public ConsoleSessionStore(FleetDatabase database)
    {
        _database = database;
    }

    /// <summary>Opens a session for <paramref name="adminTokenId"/>; returns the secret for the cookie.</summary>
    public async Task<string> CreateAsync(string adminTokenId, long now, long expiresAt, CancellationToken cancellationToken)
    {
        string secret = Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO console_sessions (hash, admin_token_id, created_at, expires_at) VALUES (@hash, @adminTokenId, @now, @expiresAt)",
            new { hash = TokenStore.Hash(secret), adminTokenId, now, expiresAt }).ConfigureAwait(false);
        return secret;
    }

    /// <summary>The admin token id of a live session (not expired, its admin token not revoked); null otherwise.</summary>
    public async Task<string?> FindAsync(string secret, long now, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 128)
        {
            return null;
        }

        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            """
            SELECT s.admin_token_id FROM console_sessions s JOIN admin_tokens a ON a.id = s.admin_token_id
            WHERE s.hash = @hash AND s.expires_at > @now AND a.revoked = 0
            """,
            new { hash = TokenStore.Hash(secret), now }).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string secret, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM console_sessions WHERE hash = @hash", new { hash = TokenStore.Hash(secret) }).ConfigureAwait(false);
    }

    /// <summary>Drops expired sessions (the sweeper calls it); returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("DELETE FROM console_sessions WHERE expires_at <= @now", new { now }).ConfigureAwait(false);
    }
}
