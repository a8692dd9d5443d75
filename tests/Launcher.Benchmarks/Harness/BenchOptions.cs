namespace Launcher.Benchmarks.Harness;

/// <summary>The command line: <c>--suite ipc|identity|rpc-engines|fleet|all [--quick] [--launcherd PATH] [--out DIR]</c>.</summary>
internal sealed class BenchOptions
{
    public required string Suite { get; init; }

    /// <summary>Short phases (CI smoke); the figures are noisier.</summary>
    public bool Quick { get; init; }

    /// <summary>An explicit launcherd.dll instead of the one the build recorded.</summary>
    public string? LauncherdPath { get; init; }

    /// <summary>Where ipc.json and identity.json go (default: artifacts/bench under the repository).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Concurrent identity/prove callers.</summary>
    public int ProveCallers { get; init; } = 8;

    /// <summary>Simulated machines of the fleet suite's SQLite run (default 10,000; 300 with --quick).</summary>
    public int? FleetMachines { get; init; }

    /// <summary>Simulated machines of the fleet suite's PostgreSQL run (default 1,000; 0 skips it; never with --quick).</summary>
    public int? FleetPostgresMachines { get; init; }

    /// <summary>Connects (TCP + TLS + upgrade + handshake calls) in flight at once in the fleet suite.</summary>
    public int FleetConcurrency { get; init; } = 128;

    /// <summary>Every suite name --suite accepts.</summary>
    public static IReadOnlyList<string> Suites { get; } = ["ipc", "identity", "rpc-engines", "fleet", "all"];

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        string suite = "all";
        bool quick = false;
        string? launcherd = Environment.GetEnvironmentVariable("LAUNCHER_BENCH_LAUNCHERD");
        string? output = null;
        int callers = 8;
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

        if (!Suites.Contains(suite))
        {
            error.WriteLine($"--suite must be {string.Join(", ", Suites)}\n{Usage}");
            return null;
        }

        return new BenchOptions { Suite = suite, Quick = quick, LauncherdPath = launcherd, OutputDirectory = output, ProveCallers = callers, FleetMachines = machines, FleetPostgresMachines = postgresMachines, FleetConcurrency = concurrency };
    }

    public const string Usage = "usage: Launcher.Benchmarks --suite ipc|identity|rpc-engines|fleet|all [--quick] [--launcherd PATH/launcherd.dll] [--out DIR] [--prove-callers N] [--machines N] [--postgres-machines N] [--concurrency N]";
}
