namespace Launcher.IntegrationTests;

/// <summary>Where the repository and the built executables are (same configuration as this test assembly).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>
    /// A directory of NativeAOT executables (launcherd, launcherctl, launcher-agent) to test instead of the build
    /// output: <c>LAUNCHER_TEST_AOT_DIR</c>, set by scripts/test.sh's NativeAOT pass. The fleet server is always the
    /// build output.
    /// </summary>
    public static string? AotDirectory { get; } =
        Environment.GetEnvironmentVariable("LAUNCHER_TEST_AOT_DIR") is { Length: > 0 } directory ? Path.GetFullPath(directory) : null;

    public static string Daemon => Shipped("daemon/Launcher.Daemon", "launcherd");

    /// <summary>The daemon as built (launcherd.dll, run by dotnet with the JIT), whatever <see cref="AotDirectory"/> says.</summary>
    public static string JitDaemon => Binary("daemon/Launcher.Daemon", "launcherd.dll");

    public static string Ctl => Shipped("daemon/Launcher.Ctl", "launcherctl");

    public static string Agent => Shipped("agent/Launcher.Agent", "launcher-agent");

    public static string Fleet => Binary("server/Launcher.Fleet", "launcher-fleet.dll");

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

    /// <summary>The program and leading arguments that run <paramref name="executable"/>: <c>dotnet X.dll</c> for
    /// the build output, the file itself for a NativeAOT executable.</summary>
    public static string[] Command(string executable) =>
        executable.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", executable] : [executable];

    private static string Shipped(string project, string name) =>
        AotDirectory is string directory ? Path.Combine(directory, name) : Binary(project, name + ".dll");

    private static string Binary(string project, string file) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", file);

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Launcher.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Launcher.sln not found above " + AppContext.BaseDirectory);
    }
}
