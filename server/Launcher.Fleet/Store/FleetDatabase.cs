using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Launcher.Fleet.Store;

/// <summary>
/// The server's database: SQLite (a file in the data dir, WAL) or PostgreSQL (several instances share one). Opens
/// connections and applies the migrations; the stores (machines, tokens, nonces, notifications, presence, audit)
/// run their SQL through it.
/// </summary>
internal sealed class FleetDatabase : IAsyncDisposable
{
    // Any constant: two instances migrating one PostgreSQL at once take turns on it.
    private const long MigrationLockKey = 0x4C61756E636872;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    /// <summary>
    /// Run on every SQLite connection opened: the busy timeout (30 s) handled inside SQLite, and synchronous=NORMAL,
    /// which in WAL mode syncs at checkpoints instead of at every commit: a crash of the server loses nothing, a power
    /// loss or OS crash may lose the last commits but never corrupts the file. With FULL every commit waited for an
    /// fsync (4.3 ms on the benchmark machine), which capped the server at about 230 writes/s.
    /// </summary>
    private const string SqliteConnectionPragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    static FleetDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    private FleetDatabase(DatabaseKind kind, string description, NpgsqlDataSource? postgres, string? sqlite)
    {
        Kind = kind;
        Description = description;
        _postgres = postgres;
        _sqlite = sqlite;
    }

    public DatabaseKind Kind { get; }

    /// <summary>Where the data is, without any password (for logs and the console).</summary>
    public string Description { get; }

    /// <summary>The PostgreSQL data source (for LISTEN), null on SQLite.</summary>
    public NpgsqlDataSource? Postgres => _postgres;

    /// <summary>Reads the <c>--db</c> option: null/"sqlite" (DATA_DIR/fleet.db), "sqlite:PATH", "postgres://…", or an Npgsql connection string.</summary>
    public static FleetDatabase Open(string? option, string dataDirectory)
    {
        string value = option?.Trim() ?? string.Empty;
        if (value.Length == 0 || value.Equals("sqlite", StringComparison.OrdinalIgnoreCase) || value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            string path = value.Length > 7 ? value[7..] : Path.Combine(dataDirectory, "fleet.db");
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(path),
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                ForeignKeys = true,
                DefaultTimeout = 30,
            };
            return new FleetDatabase(DatabaseKind.Sqlite, "sqlite:" + builder.DataSource, null, builder.ToString());
        }

        string connectionString = value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? PostgresUrl.ToConnectionString(value)
            : value;
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new FleetConfigurationException("--db is not a PostgreSQL connection string or URL: " + ex.Message);
        }

        var source = new NpgsqlDataSourceBuilder(parsed.ConnectionString).Build();
        return new FleetDatabase(DatabaseKind.Postgres, $"postgres://{parsed.Host}:{parsed.Port}/{parsed.Database}", source, null);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_sqlite);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (_postgres is null)
            {
                // SQLite's own busy handler waits for the write lock in steps of 1 to 100 ms; without it
                // Microsoft.Data.Sqlite retries a busy statement every 150 ms, which under concurrent writers made
                // each write wait hundreds of ms (docs/benchmarks.md, fleet). Per connection, so on every open.
                await connection.ExecuteAsync(SqliteConnectionPragmas).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The synchronous twin of <see cref="OpenAsync"/>, for the one caller with a synchronous contract: Data
    /// Protection's key repository, read at start and about once a day.
    /// </summary>
    public DbConnection Open()
    {
        DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_sqlite);
        try
        {
            connection.Open();
            if (_postgres is null)
            {
                connection.Execute(SqliteConnectionPragmas);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Applies every migration not yet applied, in one transaction each.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Kind == DatabaseKind.Sqlite)
        {
            // WAL: readers do not block the writer; the setting is persistent in the file.
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        }

        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction).ConfigureAwait(false);
        }

        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", transaction: transaction).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction).ConfigureAwait(false)).ToHashSet();
        foreach ((int version, string sql) in Migrations.All)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            string dialect = sql.Replace("{autoid}", Kind == DatabaseKind.Sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", StringComparison.Ordinal);
            await connection.ExecuteAsync(dialect, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)", new { version = (long)version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version applied.</summary>
    public async Task<long> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
        else if (_sqlite is not null)
        {
            // Pooled SQLite connections keep the file open; release them so a test can delete the directory.
            SqliteConnection.ClearAllPools();
        }
    }
}
