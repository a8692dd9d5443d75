using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>Enrolment tokens and admin tokens. Only SHA-256 hashes are stored; a token is shown once, when created.</summary>
internal sealed class TokenStore
{
    public const string EnrolmentPrefix = "lfe_";
    public const string AdminPrefix = "lfa_";
    private readonly FleetDatabase _database;

    public TokenStore(FleetDatabase database)
    {
        _database = database;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<CreatedToken> CreateEnrolmentTokenAsync(int uses, DateTimeOffset expiresAt, string? group, string? minLevel, long now, CancellationToken cancellationToken)
    {
        string token = EnrolmentPrefix + NewSecret();
        string id = "et_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO enrolment_tokens (id, hash, uses_left, expires_at, grp, created_at, revoked, min_level) VALUES (@id, @hash, @uses, @expires, @group, @now, 0, @minLevel)",
            new { id, hash = Hash(token), uses = (long)uses, expires = expiresAt.ToUnixTimeMilliseconds(), group, now, minLevel }).ConfigureAwait(false);
        return new CreatedToken(id, token, expiresAt, uses, group, minLevel);
    }

    /// <summary>A usable enrolment token, without consuming a use; null when it is not usable.</summary>
    public async Task<EnrolmentTokenUse?> PeekEnrolmentTokenAsync(string token, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        TokenUse? row = await connection.QuerySingleOrDefaultAsync<TokenUse>(
            "SELECT id, grp, min_level FROM enrolment_tokens WHERE hash = @hash AND uses_left > 0 AND expires_at > @now AND revoked = 0",
            new { hash = Hash(token), now }).ConfigureAwait(false);
        return row?.ToUse();
    }

    /// <summary>
    /// Takes one use of an enrolment token inside the enrolment's transaction; null when the token is unknown,
    /// expired, used up or revoked (the caller answers all four the same way).
    /// </summary>
    public static async Task<EnrolmentTokenUse?> ConsumeEnrolmentTokenAsync(DbConnection connection, DbTransaction transaction, string token, long now)
    {
        TokenUse? row = await connection.QuerySingleOrDefaultAsync<TokenUse>(
            "UPDATE enrolment_tokens SET uses_left = uses_left - 1 WHERE hash = @hash AND uses_left > 0 AND expires_at > @now AND revoked = 0 RETURNING id, grp, min_level",
            new { hash = Hash(token), now },
            transaction).ConfigureAwait(false);
        return row?.ToUse();
    }

    public async Task<IReadOnlyList<EnrolmentTokenRow>> ListEnrolmentTokensAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<EnrolmentTokenRow>("SELECT id, uses_left, expires_at, grp, min_level, created_at, revoked FROM enrolment_tokens ORDER BY created_at DESC").ConfigureAwait(false)).AsList();
    }

    /// <summary>Revokes an enrolment token by id; false when there is no such token.</summary>
    public async Task<bool> RevokeEnrolmentTokenAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("UPDATE enrolment_tokens SET revoked = 1 WHERE id = @id", new { id }).ConfigureAwait(false) == 1;
    }

    public async Task<CreatedToken> CreateAdminTokenAsync(long now, CancellationToken cancellationToken)
    {
        string token = AdminPrefix + NewSecret();
        string id = "at_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("INSERT INTO admin_tokens (id, hash, created_at, revoked) VALUES (@id, @hash, @now, 0)", new { id, hash = Hash(token), now }).ConfigureAwait(false);
        return new CreatedToken(id, token, null, null, null, null);
    }

    /// <summary>The admin token's id when <paramref name="token"/> is a valid admin token; null otherwise.</summary>
    /// <remarks>
    /// No cache: every API request and every sign-in reads the database, so a revocation (by the CLI, from any
    /// process on the same data dir or database) is refused from the next request on.
    /// </remarks>
    public async Task<string?> FindAdminTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(AdminPrefix, StringComparison.Ordinal) || token.Length > 256)
        {
            return null;
        }

        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT id FROM admin_tokens WHERE hash = @hash AND revoked = 0", new { hash = Hash(token) }).ConfigureAwait(false);
    }

    /// <summary>
    /// Records that an admin token was used at <paramref name="now"/>; written at most once per
    /// <paramref name="resolutionMs"/> per token, so a busy API client does not turn every request into a write.
    /// </summary>
    public async Task TouchAdminTokenAsync(string id, long now, long resolutionMs, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE admin_tokens SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @stale)",
            new { id, now, stale = now - resolutionMs }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AdminTokenRow>> ListAdminTokensAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<AdminTokenRow>("SELECT id, created_at, last_used_at, revoked, revoked_at FROM admin_tokens ORDER BY created_at DESC, id").ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// Revokes an admin token by id and ends its console sessions, in one transaction; null when there is no such
    /// token, otherwise whether it was live until now (false: it was already revoked).
    /// </summary>
    public async Task<bool?> RevokeAdminTokenAsync(string id, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long? revoked = await connection.QuerySingleOrDefaultAsync<long?>("SELECT revoked FROM admin_tokens WHERE id = @id", new { id }, transaction).ConfigureAwait(false);
        if (revoked is null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        await connection.ExecuteAsync("UPDATE admin_tokens SET revoked = 1, revoked_at = COALESCE(revoked_at, @now) WHERE id = @id", new { id, now }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM console_sessions WHERE admin_token_id = @id", new { id }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revoked == 0;
    }

    private sealed class TokenUse
    {
        public string Id { get; set; } = string.Empty;

        public string? Grp { get; set; }

        public string? MinLevel { get; set; }

        public EnrolmentTokenUse ToUse() => new(Id, Grp, MinLevel);
    }

    private static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
