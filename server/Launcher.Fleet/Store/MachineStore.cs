using System.Data.Common;
using Dapper;

namespace Launcher.Fleet.Store;

/// <summary>The <c>machines</c> table.</summary>
internal sealed class MachineStore
{
    private const string Columns = "id, thumbprint, public_key, key_class, attestation_level, tpm_maker, attestation_detail, apple_serial, apple_udid, apple_os_version, apple_serial_match, apple_leaf_sha256, apple_attested_at, serial, hardware_uuid, model, os_name, os_version, hostname, grp, revoked, revoked_at, enrolled_at, last_seen, certificate, cert_serial, cert_not_after";
    /// <summary>
    /// The Apple serial comparison over the row as it now is, in SQL so that it is computed in the same statement
    /// that reads the facts (no window for a stale result between a facts report and a certificate upload): null
    /// without an Apple certificate; <c>not-attested</c> when the certificate carries no serial; <c>match</c> when
    /// it equals the reported serial (trimmed); otherwise <c>mismatch</c>. The same rule as
    /// <c>AppleAttestationVerifier.CompareSerial</c>.
    /// </summary>
    private const string SerialMatchSql = """
        CASE WHEN apple_leaf_sha256 IS NULL THEN NULL
             WHEN apple_serial IS NULL OR apple_serial = '' THEN 'not-attested'
             WHEN serial IS NOT NULL AND apple_serial = TRIM(serial) THEN 'match'
             ELSE 'mismatch' END
        """;

    private readonly FleetDatabase _database;

    public MachineStore(FleetDatabase database)
    {
        _database = database;
    }

    public async Task<MachineRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MachineRow>($"SELECT {Columns} FROM machines WHERE id = @id", new { id }).ConfigureAwait(false);
    }

    public async Task<MachineRow?> GetByThumbprintAsync(string thumbprint, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MachineRow>($"SELECT {Columns} FROM machines WHERE thumbprint = @thumbprint", new { thumbprint }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MachineRow>> ListAsync(int limit, int offset, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<MachineRow>($"SELECT {Columns} FROM machines ORDER BY enrolled_at, id LIMIT @limit OFFSET @offset", new { limit = (long)limit, offset = (long)offset }).ConfigureAwait(false)).AsList();
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM machines").ConfigureAwait(false);
    }

    /// <summary>A machine already known by its key, serial or hardware UUID (a re-enrolment), inside a transaction.</summary>
    public static async Task<MachineRow?> FindKnownAsync(DbConnection connection, DbTransaction transaction, string thumbprint, string? serial, string? hardwareUuid)
    {
        // Only the facts the machine gave are compared; an absent fact matches nothing.
        var conditions = new List<string> { "thumbprint = @thumbprint" };
        if (!string.IsNullOrEmpty(serial))
        {
            conditions.Add("serial = @serial");
        }

        if (!string.IsNullOrEmpty(hardwareUuid))
        {
            conditions.Add("hardware_uuid = @hardwareUuid");
        }

        string sql = $"SELECT {Columns} FROM machines WHERE {string.Join(" OR ", conditions)} ORDER BY CASE WHEN thumbprint = @thumbprint THEN 0 ELSE 1 END, enrolled_at LIMIT 1";
        return await connection.QuerySingleOrDefaultAsync<MachineRow>(sql, new { thumbprint, serial = serial ?? string.Empty, hardwareUuid = hardwareUuid ?? string.Empty }, transaction).ConfigureAwait(false);
    }

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, MachineRow row) =>
        connection.ExecuteAsync(
            $"INSERT INTO machines ({Columns}) VALUES (@Id, @Thumbprint, @PublicKey, @KeyClass, @AttestationLevel, @TpmMaker, @AttestationDetail, @AppleSerial, @AppleUdid, @AppleOsVersion, @AppleSerialMatch, @AppleLeafSha256, @AppleAttestedAt, @Serial, @HardwareUuid, @Model, @OsName, @OsVersion, @Hostname, @Grp, @Revoked, @RevokedAt, @EnrolledAt, @LastSeen, @Certificate, @CertSerial, @CertNotAfter)",
            row,
            transaction);

    /// <summary>Replaces the key, facts and certificate of a known machine (re-enrolment); the id stays.</summary>
    public static Task ReplaceKeyAsync(DbConnection connection, DbTransaction transaction, MachineRow row) =>
        connection.ExecuteAsync(
            """
            UPDATE machines SET thumbprint = @Thumbprint, public_key = @PublicKey, key_class = @KeyClass, attestation_level = @AttestationLevel, tpm_maker = @TpmMaker, attestation_detail = @AttestationDetail,
                serial = @Serial, hardware_uuid = @HardwareUuid, model = @Model, os_name = @OsName, os_version = @OsVersion, hostname = @Hostname,
                grp = @Grp, last_seen = @LastSeen, certificate = @Certificate, cert_serial = @CertSerial, cert_not_after = @CertNotAfter
            WHERE id = @Id
            """,
            row,
            transaction);

    /// <summary>Records a verified Apple MDA certificate's facts and compares its serial with the reported one; the
    /// comparison, or null when there is no such machine. The attestation level is never touched.</summary>
    public async Task<string?> SetAppleAttestationAsync(string id, string? serial, string? udid, string? osVersion, string leafSha256, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int rows = await connection.ExecuteAsync(
            "UPDATE machines SET apple_serial = @serial, apple_udid = @udid, apple_os_version = @osVersion, apple_leaf_sha256 = @leafSha256, apple_attested_at = @now WHERE id = @id",
            new { id, serial, udid, osVersion, leafSha256, now },
            transaction).ConfigureAwait(false);
        string? match = rows == 1 ? await RecomputeSerialMatchAsync(connection, transaction, id).ConfigureAwait(false) : null;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return match;
    }

    /// <summary>
    /// Compares the recorded Apple serial (if any) with the reported serial as the row now holds them and stores the
    /// result; returns it (null without an Apple certificate). Called after every write of either side.
    /// </summary>
    public static Task<string?> RecomputeSerialMatchAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefaultAsync<string?>($"UPDATE machines SET apple_serial_match = {SerialMatchSql} WHERE id = @id RETURNING apple_serial_match", new { id }, transaction);

    public async Task SetCertificateAsync(string id, string pem, string serial, long notAfter, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE machines SET certificate = @pem, cert_serial = @serial, cert_not_after = @notAfter WHERE id = @id", new { id, pem, serial, notAfter }).ConfigureAwait(false);
    }

    /// <summary>Records freshly reported facts (still only reported) and the time they came, and recompares an Apple
    /// certificate's serial with the new reported serial; returns that comparison (null without a certificate).</summary>
    public async Task<string?> UpdateFactsAsync(string id, Launcher.Contracts.Fleet.FleetFacts facts, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE machines SET serial = @Serial, hardware_uuid = @HardwareUuid, model = @Model, os_name = @OsName, os_version = @OsVersion, hostname = @Hostname, last_seen = @now WHERE id = @id",
            new { id, now, facts.Serial, facts.HardwareUuid, facts.Model, facts.OsName, facts.OsVersion, facts.Hostname },
            transaction).ConfigureAwait(false);
        string? match = await RecomputeSerialMatchAsync(connection, transaction, id).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return match;
    }

    public async Task TouchAsync(string id, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE machines SET last_seen = @now WHERE id = @id", new { id, now }).ConfigureAwait(false);
    }

    /// <summary>Marks a machine revoked; false when there is no such machine. Revoking twice keeps the first time.</summary>
    public static async Task<bool> RevokeAsync(DbConnection connection, DbTransaction transaction, string id, long now)
    {
        int rows = await connection.ExecuteAsync("UPDATE machines SET revoked = 1, revoked_at = COALESCE(revoked_at, @now) WHERE id = @id", new { id, now }, transaction).ConfigureAwait(false);
        return rows == 1;
    }
}
