namespace Launcher.IntegrationTests;

/// <summary>Where the repository and the built executables are (same configuration as this test assembly).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Daemon => Binary("daemon/Launcher.Daemon", "launcherd.dll");

    public static string Ctl => Binary("daemon/Launcher.Ctl", "launcherctl.dll");

    public static string Agent => Binary("agent/Launcher.Agent", "launcher-agent.dll");

    public static string Fleet => Binary("server/Launcher.Fleet", "launcher-fleet.dll");

    public static string Script(string name) => Path.Combine(Root, "scripts", name);

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
