using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Fleet;

/// <summary>
/// A real <c>launcher-fleet run</c> child on a fresh data dir (SQLite in it, or a PostgreSQL connection string),
/// listening on a free loopback port; its token commands run as separate CLI processes on the same data dir.
/// </summary>
internal sealed class FleetServerProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "launcher-fleet: listening on ";
    private const string CaPrefix = "fleet CA:";
    private readonly ChildProcess _child;
    private readonly RepoLayout _layout;

    private FleetServerProcess(ChildProcess child, RepoLayout layout, string dataDirectory, string? database)
    {
        _child = child;
        _layout = layout;
        DataDirectory = dataDirectory;
        Database = database;
    }

    public string DataDirectory { get; }

    public string? Database { get; }

    public Uri Url { get; private set; } = null!;

    public X509Certificate2 Ca { get; private set; } = null!;

    public int Pid => _child.Pid;

    public TimeSpan StartToReady { get; private set; }

    public static async Task<FleetServerProcess> StartAsync(RepoLayout layout, string dataDirectory, string? database, TimeSpan timeout)
    {
        if (!File.Exists(layout.FleetPath))
        {
            throw new InvalidOperationException($"launcher-fleet.dll not found at '{layout.FleetPath}': build server/Launcher.Fleet.");
        }

        long started = Stopwatch.GetTimestamp();
        ChildProcess child = ChildProcess.Start(DotnetHost.Path, [layout.FleetPath, .. CommonArguments(dataDirectory, database, "run"), "--listen", "https://127.0.0.1:0", "--trust-domain", "bench.example"]);
        var server = new FleetServerProcess(child, layout, dataDirectory, database);
        try
        {
            await server.WaitReadyAsync(started, timeout).ConfigureAwait(false);
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary><c>launcher-fleet token create --uses N --json</c>: the token.</summary>
    public async Task<string> CreateEnrolmentTokenAsync(int uses) =>
        (await RunCliAsync(["token", "create"], "--uses", uses.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expires", "2h", "--json").ConfigureAwait(false)).GetProperty("token").GetString()!;

    /// <summary><c>launcher-fleet admin-token create --json</c>: the bearer token.</summary>
    public async Task<string> CreateAdminTokenAsync() =>
        (await RunCliAsync(["admin-token", "create"], "--json").ConfigureAwait(false)).GetProperty("token").GetString()!;

    public (double RssMb, double PeakMb) Memory() => _child.Memory();

    public (TimeSpan Cpu, int Threads) CpuAndThreads() => _child.CpuAndThreads();

    public string Tail(int lines = 30) => _child.Tail(lines);

    public ValueTask DisposeAsync() => _child.DisposeAsync();

    private static IEnumerable<string> CommonArguments(string dataDirectory, string? database, params string[] command)
    {
        foreach (string word in command)
        {
            yield return word;
        }

        yield return "--data-dir";
        yield return dataDirectory;
        if (database is not null)
        {
            yield return "--db";
            yield return database;
        }
    }

    private async Task<JsonElement> RunCliAsync(string[] command, params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[_layout.FleetPath, .. CommonArguments(DataDirectory, Database, command), .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"launcher-fleet {string.Join(' ', command)} did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"launcher-fleet {string.Join(' ', command)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        return JsonDocument.Parse(await output.ConfigureAwait(false)).RootElement.Clone();
    }

    private async Task WaitReadyAsync(long started, TimeSpan timeout)
    {
        long deadline = started + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_child.HasExited)
            {
                throw new InvalidOperationException($"launcher-fleet exited during start:\n{_child.Tail()}");
            }

            string[] lines = _child.Tail(200).Split('\n');
            string? listening = lines.FirstOrDefault(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal));
            string? ca = lines.FirstOrDefault(l => l.TrimStart().StartsWith(CaPrefix, StringComparison.Ordinal));
            if (listening is not null && ca is not null)
            {
                string url = listening[ListeningPrefix.Length..].Split(' ')[0];
                string caPath = ca.TrimStart()[CaPrefix.Length..].Trim();
                caPath = caPath[..caPath.IndexOf(" (key", StringComparison.Ordinal)];
                Url = new Uri(url);
                Ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath).ConfigureAwait(false));
                StartToReady = Stopwatch.GetElapsedTime(started);
                return;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"launcher-fleet was not ready within {timeout.TotalSeconds:0} s:\n{_child.Tail()}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
