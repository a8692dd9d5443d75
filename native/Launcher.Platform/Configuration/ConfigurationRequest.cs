namespace Launcher.Platform.Configuration;

/// <summary>What a process loads its configuration from: a JSON file, managed preferences, the command line.</summary>
internal sealed class ConfigurationRequest
{
    /// <summary>The file given with <c>--config</c>: it must exist. Null: <see cref="DefaultFile"/>, if it exists.</summary>
    public string? ExplicitFile { get; init; }

    /// <summary>The per-OS default file (see <see cref="ConfigurationPaths"/>); may be absent.</summary>
    public string? DefaultFile { get; init; }

    /// <summary>macOS managed preferences (a plist an MDM profile installed); null to read none.</summary>
    public string? ManagedPreferences { get; init; }

    /// <summary>Values given as command-line flags, by configuration key: they override everything.</summary>
    public IReadOnlyDictionary<string, string?> CommandLine { get; init; } = new Dictionary<string, string?>();

    /// <summary>The uid, besides root, that may own the files (the reading process's effective uid).</summary>
    public uint AllowedOwner { get; init; }
}
