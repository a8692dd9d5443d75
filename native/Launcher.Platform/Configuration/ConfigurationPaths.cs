namespace Launcher.Platform.Configuration;

/// <summary>Where the daemon and the agent look for their configuration by default, per OS.</summary>
internal static class ConfigurationPaths
{
    /// <summary>The managed-preferences domain of the daemon (an MDM profile's PayloadType).</summary>
    public const string DaemonPreferencesDomain = "com.launcher.daemon";

    /// <summary>The managed-preferences domain of the agent.</summary>
    public const string AgentPreferencesDomain = "com.launcher.agent";

    /// <summary><c>/etc/launcher/launcherd.json</c>; macOS <c>/Library/Application Support/Launcher/launcherd.json</c>.</summary>
    public static string DaemonFile => Path.Combine(Directory, "launcherd.json");

    /// <summary><c>/etc/launcher/launcher-agent.json</c>; macOS <c>/Library/Application Support/Launcher/launcher-agent.json</c>.</summary>
    public static string AgentFile => Path.Combine(Directory, "launcher-agent.json");

    /// <summary>macOS only: what an MDM profile installs for a preference domain; null elsewhere.</summary>
    public static string? ManagedPreferences(string domain) =>
        OperatingSystem.IsMacOS() ? Path.Combine("/Library/Managed Preferences", domain + ".plist") : null;

    private static string Directory => OperatingSystem.IsMacOS() ? "/Library/Application Support/Launcher" : "/etc/launcher";
}
