using System.Reflection;

namespace Launcher.Benchmarks.Harness;

/// <summary>
/// Where things are. The build records launcherd.dll's path and the repository root in this assembly's metadata
/// (see the csproj), so `dotnet run -c Release` measures the Release daemon it just built; --launcherd overrides.
/// </summary>
internal sealed class RepoLayout
{
    private RepoLayout(string root, string launcherd, string fleet, string configuration)
    {
        Root = root;
        LauncherdPath = launcherd;
        FleetPath = fleet;
        BenchConfiguration = configuration;
    }

    public string Root { get; }

    public string LauncherdPath { get; }

    /// <summary>launcher-fleet.dll as the build recorded it (the fleet suite checks that it exists).</summary>
    public string FleetPath { get; }

    public string PostgresScript => Path.Combine(Root, "scripts", "postgres.sh");

    /// <summary>The configuration this harness was built in (the daemon is built in the same one).</summary>
    public string BenchConfiguration { get; }

    /// <summary>The directory launcherd is in (the native shim must sit beside it for the TPM store).</summary>
    public string LauncherdDirectory => Path.GetDirectoryName(LauncherdPath)!;

    public string NativeDirectory => Path.Combine(Root, "artifacts", "native");

    public string BenchSignTool => Path.Combine(NativeDirectory, "lnk-bench-sign");

    public string SwtpmScript => Path.Combine(Root, "scripts", "swtpm.sh");

    /// <summary>Whether the daemon being measured is a Release build: judged by the output path of a launcherd.dll; a
    /// native executable is a NativeAOT publish, which scripts/publish.sh always makes in Release.</summary>
    public bool DaemonIsRelease =>
        !LauncherdPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
        || LauncherdPath.Replace('\\', '/').Contains("/Release/", StringComparison.Ordinal);

    public static RepoLayout Locate(string? launcherdOverride)
    {
        Assembly self = typeof(RepoLayout).Assembly;
        string? Metadata(string key) => self.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        string root = Metadata("RepoRoot") ?? throw new InvalidOperationException("The build did not record the repository root.");
        string launcherd = launcherdOverride is { Length: > 0 } ? Path.GetFullPath(launcherdOverride) : Metadata("LauncherdPath") ?? "";
        if (!File.Exists(launcherd))
        {
            throw new FileNotFoundException($"launcherd not found at '{launcherd}'. Build the daemon (dotnet build -c Release daemon/Launcher.Daemon) or pass --launcherd (a launcherd.dll, or a NativeAOT launcherd from scripts/publish.sh).");
        }

        return new RepoLayout(root, launcherd, Metadata("FleetPath") ?? "", Metadata("BuildConfiguration") ?? "unknown");
    }
}
