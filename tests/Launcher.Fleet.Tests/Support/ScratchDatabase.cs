using Launcher.Fleet.Store;

namespace Launcher.Fleet.Tests.Support;

/// <summary>A migrated, empty fleet database (SQLite in a temporary directory, or a fresh PostgreSQL database), and more handles on it as other instances would open.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string? _option;
    private readonly List<FleetDatabase> _opened = [];

    private ScratchDatabase(string directory, string? option)
    {
        _directory = directory;
        _option = option;
    }

    public FleetDatabase Database => _opened[0];

    public string Directory => _directory;

    public static async Task<ScratchDatabase> CreateAsync(string store, PostgresFixture postgres)
    {
        string directory = Path.Combine(Path.GetTempPath(), "lfstore-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        string? option = null;
        if (store == "postgres")
        {
            postgres.Require();
            option = await postgres.CreateDatabaseAsync();
        }

        var scratch = new ScratchDatabase(directory, option);
        await scratch.OpenAnother().MigrateAsync(CancellationToken.None);
        return scratch;
    }

    /// <summary>Another handle (its own connection pool) on the same database, as a second instance has.</summary>
    public FleetDatabase OpenAnother()
    {
        FleetDatabase database = FleetDatabase.Open(_option, _directory);
        _opened.Add(database);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (FleetDatabase database in _opened)
        {
            await database.DisposeAsync();
        }

        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
