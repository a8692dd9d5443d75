namespace Launcher.Daemon;

/// <summary>Where the socket and the state live by default, per platform and in dev mode.</summary>
internal static class DaemonPaths
{
    public static string DefaultSocket(bool dev) => dev
        ? Path.Combine(Environment.CurrentDirectory, ".launcher-dev", "launcherd.sock")
        : OperatingSystem.IsMacOS() ? "/var/run/launcher/launcherd.sock" : "/run/launcher/launcherd.sock";

    public static string DefaultStateDirectory(bool dev) => dev
        ? Path.Combine(Environment.CurrentDirectory, ".launcher-dev", "state")
        : OperatingSystem.IsMacOS() ? "/Library/Application Support/Launcher" : "/var/lib/launcher";
}
