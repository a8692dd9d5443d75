using Microsoft.Extensions.Configuration;

namespace Launcher.Platform.Configuration;

/// <summary>One layer of configuration and the name an error message gives it (a file path, "the command line").</summary>
internal sealed record ConfigurationLayer(string Label, IConfigurationSource Source);
