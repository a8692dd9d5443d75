namespace Launcher.Benchmarks.Harness;

/// <summary>The command line: <c>--suite NAME|all [--quick] [--launcherd PATH] [--out DIR]</c> (names in <see cref="Suites"/>).</summary>
internal sealed class BenchOptions
{
    public required string Suite { get; init; }

    /// <summary>Short phases (CI smoke); the figures are noisier.</summary>
    public bool Quick { get; init; }

    /// <summary>An explicit launcherd.dll, or a NativeAOT launcherd executable, instead of the one the build recorded.</summary>
    public string? LauncherdPath { get; init; }

    /// <summary>Where ipc.json and identity.json go (default: artifacts/bench under the repository).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Starts per variant in the startup suite (default 9; 3 with --quick).</summary>
    public int? StartupRuns { get; init; }

    /// <summary>More daemon builds for the startup suite: <c>--compare NAME=PATH/launcherd.dll</c>, or a NativeAOT
    /// executable <c>NAME=PATH/launcherd</c>.</summary>
    public IReadOnlyList<(string Name, string Path)> Compare { get; init; } = [];

    /// <summary>Concurrent identity/prove callers.</summary>
    public int ProveCallers { get; init; } = 8;

    /// <summary>Simulated machines of the fleet suite's SQLite run (default 10,000; 300 with --quick).</summary>
    public int? FleetMachines { get; init; }

    /// <summary>Simulated machines of the fleet suite's PostgreSQL run (default 1,000; 0 skips it; never with --quick).</summary>
    public int? FleetPostgresMachines { get; init; }

    /// <summary>Connects (TCP + TLS + upgrade + handshake calls) in flight at once in the fleet suite.</summary>
    public int FleetConcurrency { get; init; } = 128;

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        string suite = "all";
        bool quick = false;
        string? launcherd = Environment.GetEnvironmentVariable("LAUNCHER_BENCH_LAUNCHERD");
        string? output = null;
        int callers = 8;
        int? startupRuns = null;
        var compare = new List<(string Name, string Path)>();
        int? machines = null;
        int? postgresMachines = null;
        int concurrency = 128;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--suite":
                    suite = Next() ?? "";
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--launcherd":
                    launcherd = Next();
                    break;
                case "--out":
                    output = Next();
                    break;
                case "--startup-runs":
                    if (!int.TryParse(Next(), out int runs) || runs < 1)
                    {
                        error.WriteLine("--startup-runs takes a positive number");
                        return null;
                    }

                    startupRuns = runs;
                    break;
                case "--compare":
                    string? pair = Next();
                    int equals = pair?.IndexOf('=', StringComparison.Ordinal) ?? -1;
                    if (pair is null || equals < 1 || !File.Exists(pair[(equals + 1)..]))
                    {
                        error.WriteLine("--compare takes NAME=PATH/launcherd.dll or NAME=PATH/launcherd (a NativeAOT executable; an existing file)");
                        return null;
                    }

                    compare.Add((pair[..equals], Path.GetFullPath(pair[(equals + 1)..])));
                    break;
                case "--prove-callers":
                    if (!int.TryParse(Next(), out callers) || callers < 1)
                    {
                        error.WriteLine("--prove-callers takes a positive number");
                        return null;
                    }

                    break;
                case "--machines":
                    if (!int.TryParse(Next(), out int m) || m < 1)
                    {
                        error.WriteLine("--machines takes a positive number");
                        return null;
                    }

                    machines = m;
                    break;
                case "--postgres-machines":
                    if (!int.TryParse(Next(), out int pm) || pm < 0)
                    {
                        error.WriteLine("--postgres-machines takes a number (0 skips the PostgreSQL run)");
                        return null;
                    }

                    postgresMachines = pm;
                    break;
                case "--concurrency":
                    if (!int.TryParse(Next(), out concurrency) || concurrency is < 1 or > 500)
                    {
                        error.WriteLine("--concurrency takes 1 to 500 (the server admits 512 unauthenticated connections)");
                        return null;
                    }

                    break;
                case "-h" or "--help":
                    error.WriteLine(Usage);
                    return null;
                default:
                    error.WriteLine($"unknown argument {arg}\n{Usage}");
                    return null;
            }
        }

        if (suite != "all" && !Suites.Contains(suite))
        {
            error.WriteLine($"--suite must be one of {string.Join(", ", Suites)} or all\n{Usage}");
            return null;
        }

        return new BenchOptions
        {
            Suite = suite, Quick = quick, LauncherdPath = launcherd, OutputDirectory = output, ProveCallers = callers, StartupRuns = startupRuns,
            Compare = compare, FleetMachines = machines, FleetPostgresMachines = postgresMachines, FleetConcurrency = concurrency,
        };
    }

    /// <summary>Every suite, in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<string> Suites { get; } = ["ipc", "rpc-engines", "identity", "attestation", "startup", "fleet"];

    public static string Usage => $"usage: Launcher.Benchmarks --suite {string.Join('|', Suites)}|all [--quick] [--launcherd PATH/launcherd.dll] [--out DIR] [--prove-callers N] [--startup-runs N] [--compare NAME=PATH/launcherd.dll]... [--machines N] [--postgres-machines N] [--concurrency N]";
}
