using System.Data.Common;
using System.Xml.Linq;
using Dapper;
using Launcher.Fleet.Store;
using Launcher.Fleet.Tests.Support;
using Launcher.Fleet.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Fleet.Tests;

/// <summary>The web console's Data Protection key ring in the fleet database, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleKeyRepositoryTests
{
    private const int T = 60_000;
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly PostgresFixture _postgres;

    public ConsoleKeyRepositoryTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AStoredElement_ReadsBackTheSame_AndStoringItAgain_KeepsOneRow(string store)
    {
        await using ScratchDatabase scratch = await ScratchDatabase.CreateAsync(store, _postgres);
        ConsoleKeyRepository repository = Repository(scratch.Database, Clock(Now));
        XElement key = KeyElement(Guid.NewGuid(), Now.AddDays(-1), Now.AddDays(89));

        await Task.Run(() => repository.StoreElement(key, "key-a"));
        await Task.Run(() => repository.StoreElement(new XElement(key), "key-a"));
        IReadOnlyCollection<XElement> read = await Task.Run(repository.GetAllElements);

        Assert.True(XNode.DeepEquals(key, Assert.Single(read)));
        await using DbConnection connection = await scratch.Database.OpenAsync(CancellationToken.None);
        Assert.Equal(Now.AddDays(89).ToUnixTimeMilliseconds(), await connection.ExecuteScalarAsync<long>("SELECT expires_at FROM console_keys WHERE name = 'key-a'"));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TwoWritersAtOnce_KeepEveryElement(string store)
    {
        await using ScratchDatabase scratch = await ScratchDatabase.CreateAsync(store, _postgres);
        ConsoleKeyRepository a = Repository(scratch.Database, Clock(Now));
        ConsoleKeyRepository b = Repository(scratch.OpenAnother(), Clock(Now));
        using var start = new Barrier(2);

        void Write(ConsoleKeyRepository repository)
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            for (int i = 0; i < 20; i++)
            {
                Guid id = Guid.NewGuid();
                repository.StoreElement(KeyElement(id, Now, Now.AddDays(90)), $"key-{id:D}");
            }
        }

        await Task.WhenAll(Task.Run(() => Write(a)), Task.Run(() => Write(b)));

        Assert.Equal(40, (await Task.Run(a.GetAllElements)).Count);
        Assert.Equal(40, (await Task.Run(b.GetAllElements)).Count);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Reads_SkipElementsPastTheirGrace_AndReadAtMostTheBound_NewestFirst(string store)
    {
        await using ScratchDatabase scratch = await ScratchDatabase.CreateAsync(store, _postgres);
        var limits = new FleetServerLimits { MaxConsoleKeyElements = 5, ConsoleKeyGrace = TimeSpan.FromDays(7) };
        ManualClock clock = Clock(Now);
        ConsoleKeyRepository repository = Repository(scratch.Database, clock, limits);

        // Stored when each was new: one expired 8 days ago (past the grace), one 1 day ago (within it), a revocation
        // of the first, then six live keys a day apart.
        Guid old = Guid.NewGuid();
        clock.Set(Now.AddDays(-98));
        repository.StoreElement(KeyElement(old, Now.AddDays(-98), Now.AddDays(-8)), $"key-{old:D}");
        clock.Set(Now.AddDays(-91));
        repository.StoreElement(KeyElement(Guid.NewGuid(), Now.AddDays(-91), Now.AddDays(-1)), "key-recently-expired");
        repository.StoreElement(Revocation(old, Now.AddDays(-91)), $"revocation-{old:D}");
        var live = new List<string>();
        for (int i = 6; i >= 1; i--)
        {
            clock.Set(Now.AddDays(-i));
            live.Add($"key-live-{i}");
            repository.StoreElement(KeyElement(Guid.NewGuid(), Now.AddDays(-i), Now.AddDays(90 - i)), live[^1]);
        }

        clock.Set(Now);
        IReadOnlyCollection<XElement> read = await Task.Run(repository.GetAllElements);
        Assert.Equal(5, read.Count);
        Assert.All(read, e => Assert.Equal("key", e.Name.LocalName));
        Assert.DoesNotContain(read, e => (string?)e.Attribute("id") == old.ToString("D"));

        // With room for all: everything but the key past its grace (the revocation outlives the key it names).
        ConsoleKeyRepository roomy = Repository(scratch.Database, clock, new FleetServerLimits { ConsoleKeyGrace = TimeSpan.FromDays(7) });
        Assert.Equal(8, (await Task.Run(roomy.GetAllElements)).Count);
        Assert.Equal(1, await roomy.DeleteExpiredAsync(CancellationToken.None));
        await using DbConnection connection = await scratch.Database.OpenAsync(CancellationToken.None);
        Assert.Empty(await connection.QueryAsync<string>("SELECT name FROM console_keys WHERE name = @name", new { name = $"key-{old:D}" }));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TwoInstancesCreatingKeysAtOnce_KeepBoth_AndEachReadsWhatTheOtherProtected(string store)
    {
        await using ScratchDatabase scratch = await ScratchDatabase.CreateAsync(store, _postgres);
        await using ServiceProvider a = DataProtection(scratch.Database);
        await using ServiceProvider b = DataProtection(scratch.OpenAnother());
        IDataProtector onA = a.GetDataProtector("test");
        IDataProtector onB = b.GetDataProtector("test");

        // B finds no key, creates one and caches a key ring holding only it; A, as if it had started at the same
        // moment without seeing B's key, creates its own and protects with it (the newest active key).
        byte[] fromB = onB.Protect("from B"u8.ToArray());
        IKey keyOfA = a.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        byte[] fromA = onA.Protect("from A"u8.ToArray());

        Assert.Equal(keyOfA.KeyId, new Guid(fromA.AsSpan(4, 16)));
        Assert.NotEqual(keyOfA.KeyId, new Guid(fromB.AsSpan(4, 16)));
        await using (DbConnection connection = await scratch.Database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_keys WHERE name LIKE 'key-%'"));
        }

        // B does not have A's key in its cached ring: it re-reads the ring (as Data Protection does for an unknown
        // key) and finds it in the database.
        Assert.Equal("from A"u8.ToArray(), onB.Unprotect(fromA));
        Assert.Equal("from B"u8.ToArray(), onA.Unprotect(fromB));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ALegacyKeyDirectory_IsImportedOnce_ThenRemoved_AndWhatItProtectedStillReads(string store)
    {
        await using ScratchDatabase scratch = await ScratchDatabase.CreateAsync(store, _postgres);
        string legacy = Path.Combine(scratch.Directory, ConsoleDataProtection.LegacyDirectory);
        byte[] protectedBefore;
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("launcher-fleet").PersistKeysToFileSystem(new DirectoryInfo(legacy));
        await using (ServiceProvider before = services.BuildServiceProvider())
        {
            protectedBefore = before.GetDataProtector("test").Protect("rendered before the upgrade"u8.ToArray());
        }

        File.WriteAllText(Path.Combine(legacy, "not-a-key.xml"), "<key");
        ConsoleKeyRepository repository = Repository(scratch.Database, TimeProvider.System);

        Assert.Equal(1, await repository.ImportDirectoryAsync(legacy, CancellationToken.None));
        Assert.Equal(["not-a-key.xml"], Directory.GetFiles(legacy).Select(Path.GetFileName));
        File.Delete(Path.Combine(legacy, "not-a-key.xml"));
        Assert.Equal(0, await repository.ImportDirectoryAsync(legacy, CancellationToken.None));
        Assert.False(Directory.Exists(legacy));

        await using ServiceProvider after = DataProtection(scratch.Database);
        Assert.Equal("rendered before the upgrade"u8.ToArray(), after.GetDataProtector("test").Unprotect(protectedBefore));
    }

    private static ManualClock Clock(DateTimeOffset now)
    {
        var clock = new ManualClock();
        clock.Set(now);
        return clock;
    }

    private static ConsoleKeyRepository Repository(FleetDatabase database, TimeProvider time, FleetServerLimits? limits = null) =>
        new(database, limits ?? new FleetServerLimits(), time, NullLogger<ConsoleKeyRepository>.Instance);

    /// <summary>Data Protection as one server instance configures it, over <paramref name="database"/>.</summary>
    private static ServiceProvider DataProtection(FleetDatabase database)
    {
        var limits = new FleetServerLimits();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database);
        services.AddSingleton(limits);
        services.AddSingleton(TimeProvider.System);
        ConsoleDataProtection.Add(services, limits);
        return services.BuildServiceProvider();
    }

    /// <summary>A key element in Data Protection's layout (only its dates matter to the repository).</summary>
    private static XElement KeyElement(Guid id, DateTimeOffset created, DateTimeOffset expires) =>
        new("key",
            new XAttribute("id", id.ToString("D")),
            new XAttribute("version", 1),
            new XElement("creationDate", created.ToString("O")),
            new XElement("activationDate", created.ToString("O")),
            new XElement("expirationDate", expires.ToString("O")),
            new XElement("descriptor", new XElement("secret", Convert.ToBase64String(Guid.NewGuid().ToByteArray()))));

    private static XElement Revocation(Guid id, DateTimeOffset at) =>
        new("revocation",
            new XAttribute("version", 1),
            new XElement("revocationDate", at.ToString("O")),
            new XElement("key", new XAttribute("id", id.ToString("D"))),
            new XElement("reason", "test"));
}
