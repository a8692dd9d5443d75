using System.Diagnostics;
using Npgsql;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A real PostgreSQL for the whole test run, started once by scripts/postgres.sh in a temporary directory and
/// stopped at the end. Each test gets its own fresh database. Absent PostgreSQL: skipped with the reason, except
/// under CI=true, where it fails.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _directory;

    /// <summary>The cluster's admin connection string; null when PostgreSQL is unavailable.</summary>
    public string? AdminConnectionString { get; private set; }

    /// <summary>Why PostgreSQL is unavailable.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        string script = Path.Combine(RepoRoot(), "scripts", "postgres.sh");
        if (!IsInstalled())
        {
            Unavailable = "PostgreSQL is not installed: run scripts/setup.sh";
            return;
        }

        _directory = Path.Combine(Path.GetTempPath(), "lfpg-" + Guid.NewGuid().ToString("N")[..10]);
        (int code, string output, string error) = await RunAsync("bash", script, "start", _directory);
        if (code != 0)
        {
            Unavailable = "scripts/postgres.sh start failed: " + error.Trim();
            return;
        }

        AdminConnectionString = output.Trim().Split('\n')[^1];
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Require();
        string name = "fleet_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Fails when PostgreSQL did not start (tests that need it are skipped earlier when it is not installed).</summary>
    public void Require()
    {
        if (AdminConnectionString is null)
        {
            throw new InvalidOperationException("PostgreSQL is unavailable: " + Unavailable);
        }
    }

    /// <summary>Whether PostgreSQL's server binaries are installed.</summary>
    public static bool IsInstalled() =>
        (Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "initdb", SearchOption.AllDirectories).Any())
        || File.Exists("/usr/local/bin/initdb") || File.Exists("/usr/bin/initdb");

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is not null)
        {
            await RunAsync("bash", Path.Combine(RepoRoot(), "scripts", "postgres.sh"), "stop", _directory);
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, await output, await error);
    }

    private static string RepoRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Launcher.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Launcher.sln not found above the test directory.");
    }
}
