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

    public async Task<CreatedToken> CreateEnrolmentTokenAsync(int uses, DateTimeOffset expiresAt, string? group, long now, CancellationToken cancellationToken)
    {
        string token = EnrolmentPrefix + NewSecret();
        string id = "et_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO enrolment_tokens (id, hash, uses_left, expires_at, grp, created_at, revoked) VALUES (@id, @hash, @uses, @expires, @group, @now, 0)",
            new { id, hash = Hash(token), uses = (long)uses, expires = expiresAt.ToUnixTimeMilliseconds(), group, now }).ConfigureAwait(false);
        return new CreatedToken(id, token, expiresAt, uses, group);
    }

    /// <summary>
    /// Takes one use of an enrolment token inside the enrolment's transaction; null when the token is unknown,
    /// expired, used up or revoked (the caller answers all four the same way). Returns the token's id and group.
    /// </summary>
    /// <summary>The id and group of a usable enrolment token, without consuming a use; null when it is not usable.</summary>
    public async Task<(string Id, string? Group)?> PeekEnrolmentTokenAsync(string token, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        TokenUse? row = await connection.QuerySingleOrDefaultAsync<TokenUse>(
            "SELECT id, grp FROM enrolment_tokens WHERE hash = @hash AND uses_left > 0 AND expires_at > @now AND revoked = 0",
            new { hash = Hash(token), now }).ConfigureAwait(false);
        return row is null ? null : (row.Id, row.Grp);
    }

    public static async Task<(string Id, string? Group)?> ConsumeEnrolmentTokenAsync(DbConnection connection, DbTransaction transaction, string token, long now)
    {
        TokenUse? row = await connection.QuerySingleOrDefaultAsync<TokenUse>(
            "UPDATE enrolment_tokens SET uses_left = uses_left - 1 WHERE hash = @hash AND uses_left > 0 AND expires_at > @now AND revoked = 0 RETURNING id, grp",
            new { hash = Hash(token), now },
            transaction).ConfigureAwait(false);
        return row is null ? null : (row.Id, row.Grp);
    }

    public async Task<IReadOnlyList<EnrolmentTokenRow>> ListEnrolmentTokensAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<EnrolmentTokenRow>("SELECT id, uses_left, expires_at, grp, created_at, revoked FROM enrolment_tokens ORDER BY created_at DESC").ConfigureAwait(false)).AsList();
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
        return new CreatedToken(id, token, null, null, null);
    }

    /// <summary>The admin token's id when <paramref name="token"/> is a valid admin token; null otherwise.</summary>
    public async Task<string?> FindAdminTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(AdminPrefix, StringComparison.Ordinal) || token.Length > 256)
        {
            return null;
        }

        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT id FROM admin_tokens WHERE hash = @hash AND revoked = 0", new { hash = Hash(token) }).ConfigureAwait(false);
    }

    private sealed class TokenUse
    {
        public string Id { get; set; } = string.Empty;

        public string? Grp { get; set; }
    }

    private static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
