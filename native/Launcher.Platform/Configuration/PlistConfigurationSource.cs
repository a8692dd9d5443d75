using Microsoft.Extensions.Configuration;

namespace Launcher.Platform.Configuration;

/// <summary>A property list file (XML or binary) as a configuration source: macOS managed preferences.</summary>
internal sealed class PlistConfigurationSource : IConfigurationSource
{
    public required string Path { get; init; }

    /// <summary>A missing file is an empty source (managed preferences exist only where an MDM installed them).</summary>
    public bool Optional { get; init; } = true;

    /// <summary>Besides root, the uid that may own the file (the reading process's own; root for the daemon).</summary>
    public uint AllowedOwner { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new PlistConfigurationProvider(this);
}
