namespace Launcher.Benchmarks.Harness;

/// <summary>The command line: <c>--suite ipc|identity|rpc-engines|all [--quick] [--launcherd PATH] [--out DIR]</c>.</summary>
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

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        string suite = "all";
        bool quick = false;
        string? launcherd = Environment.GetEnvironmentVariable("LAUNCHER_BENCH_LAUNCHERD");
        string? output = null;
        int callers = 8;
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
                case "-h" or "--help":
                    error.WriteLine(Usage);
                    return null;
                default:
                    error.WriteLine($"unknown argument {arg}\n{Usage}");
                    return null;
            }
        }

        if (suite is not ("ipc" or "identity" or "rpc-engines" or "all"))
        {
            error.WriteLine($"--suite must be ipc, identity, rpc-engines or all\n{Usage}");
            return null;
        }

        return new BenchOptions { Suite = suite, Quick = quick, LauncherdPath = launcherd, OutputDirectory = output, ProveCallers = callers };
    }

    public const string Usage = "usage: Launcher.Benchmarks --suite ipc|identity|rpc-engines|all [--quick] [--launcherd PATH/launcherd.dll] [--out DIR] [--prove-callers N]";
}
