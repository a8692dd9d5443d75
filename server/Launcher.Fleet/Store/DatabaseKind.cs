namespace Launcher.Fleet.Store;

/// <summary>The two stores the server runs on, with one schema.</summary>
internal enum DatabaseKind
{
    Sqlite,
    Postgres,
}
