namespace Launcher.Platform.Ipc;

/// <summary>
/// The default locations every Launcher process agrees on: the daemon's socket and state, and a user agent's state.
/// launcherd, the agent and launcherctl all read them here, so the three never drift apart.
/// </summary>
internal static class DefaultPaths
{
    /// <summary>The dev-mode directory, relative to the working directory of <c>launcherd run --dev</c>.</summary>
    public const string DevDirectoryName = ".launcher-dev";

    /// <summary>The daemon's socket: production path per OS, or under the working directory in dev mode.</summary>
    public static string DaemonSocket(bool dev) => dev
        ? Path.Combine(Environment.CurrentDirectory, DevDirectoryName, "launcherd.sock")
        : OperatingSystem.IsMacOS() ? "/var/run/launcher/launcherd.sock" : "/run/launcher/launcherd.sock";

    /// <summary>The daemon's root-owned state directory.</summary>
    public static string DaemonStateDirectory(bool dev) => dev
        ? Path.Combine(Environment.CurrentDirectory, DevDirectoryName, "state")
        : OperatingSystem.IsMacOS() ? "/var/db/launcher" : "/var/lib/launcher";

    /// <summary>
    /// A user agent's state directory (seen notifications, the software user key): macOS
    /// <c>~/Library/Application Support/Launcher</c>; elsewhere <c>$XDG_STATE_HOME/launcher</c>, else
    /// <c>~/.local/state/launcher</c> (the XDG Base Directory default).
    /// </summary>
    public static string AgentStateDirectory() => AgentStateDirectory(
        OperatingSystem.IsMacOS(),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify),
        Environment.GetEnvironmentVariable("XDG_STATE_HOME"));

    /// <summary>The rule behind <see cref="AgentStateDirectory()"/>, with its inputs given (tests).</summary>
    public static string AgentStateDirectory(bool macOS, string home, string? xdgStateHome)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        if (macOS)
        {
            return Path.Combine(home, "Library", "Application Support", "Launcher");
        }

        // The XDG spec says a relative value is invalid and must be ignored.
        return !string.IsNullOrEmpty(xdgStateHome) && Path.IsPathFullyQualified(xdgStateHome)
            ? Path.Combine(xdgStateHome, "launcher")
            : Path.Combine(home, ".local", "state", "launcher");
    }
}
