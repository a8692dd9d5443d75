using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Launcher.Platform.Configuration;

/// <summary>
/// Builds the standard layers (JSON file, then managed preferences, then the command line), checks every key
/// against the schema, and refuses a secret key in a file that group or others can read.
/// </summary>
internal static class ConfigurationLoader
{
    public const string CommandLineLabel = "the command line";

    public static LayeredConfiguration Load(ConfigurationRequest request, ConfigurationSchema schema)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schema);
        var layers = new List<ConfigurationLayer>();
        var readableFiles = new HashSet<string>(StringComparer.Ordinal);

        string? file = request.ExplicitFile ?? request.DefaultFile;
        if (file is not null)
        {
            string full = Path.GetFullPath(file);
            byte[]? json = ConfigurationFile.ReadTrusted(full, request.AllowedOwner, out UnixFileMode mode);
            if (json is null && request.ExplicitFile is not null)
            {
                throw new ConfigurationException($"the configuration file {full} (--config) does not exist");
            }

            if (json is not null)
            {
                layers.Add(new ConfigurationLayer(full, new JsonStreamConfigurationSource { Stream = new MemoryStream(json, writable: false) }));
                if (ConfigurationFile.IsReadableByOthers(mode))
                {
                    readableFiles.Add(full);
                }
            }
        }

        if (request.ManagedPreferences is string plist)
        {
            layers.Add(new ConfigurationLayer(plist, new PlistConfigurationSource { Path = plist, AllowedOwner = request.AllowedOwner }));
        }

        if (request.CommandLine.Count > 0)
        {
            layers.Add(new ConfigurationLayer(CommandLineLabel, new MemoryConfigurationSource { InitialData = request.CommandLine }));
        }

        LayeredConfiguration configuration = LayeredConfiguration.Build(layers, schema);
        foreach (string key in schema.Keys.Where(schema.IsSecret))
        {
            if (configuration.Has(key) && readableFiles.Contains(configuration.SourceOf(key)))
            {
                string path = configuration.SourceOf(key);
                throw new ConfigurationException($"{key} is set in {path}, which group or others can read; a secret needs a private file (chmod 600 {path})", key);
            }
        }

        return configuration;
    }
}
