using Launcher.Platform.Ipc;

namespace Launcher.IntegrationTests;

/// <summary>
/// What some tests need from the machine. Locally a missing piece skips the test with the reason; in CI
/// (CI=true) nothing is skipped: a missing piece fails the test, because CI installs everything.
/// </summary>
internal static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? MissingRoot() =>
        ProcessIdentity.EffectiveUid == 0 ? null : "needs root to run the daemon for real and agents under other uids (CI runs as root)";

    /// <summary>The system's python3 (not a per-user install: helpers run under other uids too).</summary>
    public const string SystemPython = "/usr/bin/python3";

    public static string? MissingRootOrPython() =>
        MissingRoot() ?? (File.Exists(SystemPython) ? null : $"{SystemPython} is not installed (the connection helpers need it): run scripts/setup.sh");
    public static string? MissingDBus() =>
        Array.Exists(["/usr/bin/dbus-daemon", "/bin/dbus-daemon", "/usr/local/bin/dbus-daemon"], File.Exists)
            ? null
            : "dbus-daemon is not installed: run scripts/setup.sh (package dbus)";

    public static string? MissingNode()
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':');
        return path.Any(p => File.Exists(Path.Combine(p, "node"))) ? null : "node is not installed (attack scripts run in it): run scripts/setup.sh";
    }

    public static string? MissingSwtpm()
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':');
        if (!path.Any(p => File.Exists(Path.Combine(p, "swtpm"))))
        {
            return "swtpm is not installed: run scripts/setup.sh";
        }

        return File.Exists(Path.Combine(Path.GetDirectoryName(Repo.Daemon)!, "liblauncher_native.so"))
            ? null
            : "the native TPM shim is not built: run scripts/build-native.sh";
    }
}
