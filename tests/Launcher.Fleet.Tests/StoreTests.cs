using System.Data.Common;
using Dapper;
using Launcher.Fleet.Store;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>The stores' atomic operations, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public StoreTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Migrations_AreIdempotent_AndRecorded(string store)
    {
        await using Scratch scratch = await Scratch.CreateAsync(store, _postgres);
        await scratch.Database.MigrateAsync(CancellationToken.None);
        await scratch.Database.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrations.All[^1].Version, await scratch.Database.SchemaVersionAsync(CancellationToken.None));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ATokenWithNUses_EnrolsExactlyN_UnderConcurrency(string store)
    {
        await using Scratch scratch = await Scratch.CreateAsync(store, _postgres);
        var tokens = new TokenStore(scratch.Database);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CreatedToken token = await tokens.CreateEnrolmentTokenAsync(3, DateTimeOffset.UtcNow.AddHours(1), "eng", null, now, CancellationToken.None);

        async Task<bool> ConsumeAsync()
        {
            await using DbConnection connection = await scratch.Database.OpenAsync(CancellationToken.None);
            await using DbTransaction transaction = await connection.BeginTransactionAsync();
            EnrolmentTokenUse? used = await TokenStore.ConsumeEnrolmentTokenAsync(connection, transaction, token.Token, now);
            await transaction.CommitAsync();
            return used is { Group: "eng" };
        }

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(ConsumeAsync)));

        Assert.Equal(3, results.Count(r => r));
        await using DbConnection check = await scratch.Database.OpenAsync(CancellationToken.None);
        Assert.Empty(await check.QueryAsync<string>("SELECT hash FROM enrolment_tokens WHERE hash = @token", new { token = token.Token }));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AProofId_IsRecordedOnce(string store)
    {
        await using Scratch scratch = await Scratch.CreateAsync(store, _postgres);
        var nonces = new NonceStore(scratch.Database);
        long expires = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();

        Assert.True(await nonces.RecordOnceAsync("jti:x", "verify", expires, CancellationToken.None));
        Assert.False(await nonces.RecordOnceAsync("jti:x", "verify", expires, CancellationToken.None));
        Assert.Equal(1, await nonces.PurgeExpiredAsync(expires + 1, CancellationToken.None));
    }

    private sealed class Scratch : IAsyncDisposable
    {
        private readonly string _directory;

        private Scratch(string directory, FleetDatabase database)
        {
            _directory = directory;
            Database = database;
        }

        public FleetDatabase Database { get; }

        public static async Task<Scratch> CreateAsync(string store, PostgresFixture postgres)
        {
            string directory = Path.Combine(Path.GetTempPath(), "lfstore-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(directory);
            string? option = null;
            if (store == "postgres")
            {
                postgres.Require();
                option = await postgres.CreateDatabaseAsync();
            }

            FleetDatabase database = FleetDatabase.Open(option, directory);
            await database.MigrateAsync(CancellationToken.None);
            return new Scratch(directory, database);
        }

        public async ValueTask DisposeAsync()
        {
            await Database.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
