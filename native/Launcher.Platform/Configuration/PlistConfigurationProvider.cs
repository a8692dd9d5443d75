using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Launcher.Platform.Configuration;

/// <summary>
/// Flattens a property list's top-level dictionary into configuration keys: nested dictionaries become
/// <c>section:key</c>, arrays <c>key:0</c>, <c>key:1</c>; booleans <c>true</c>/<c>false</c>, numbers in the
/// invariant culture, dates ISO 8601, data base64. Keys that MDM tools add to every payload (<c>Payload…</c>) are
/// dropped. A file that cannot be read or parsed is an error naming the file, never an empty configuration.
/// </summary>
internal sealed class PlistConfigurationProvider : ConfigurationProvider
{
    private const string MdmPayloadPrefix = "Payload";

    private readonly PlistConfigurationSource _source;

    public PlistConfigurationProvider(PlistConfigurationSource source)
    {
        _source = source;
    }

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        byte[]? bytes = ConfigurationFile.ReadTrusted(_source.Path, _source.AllowedOwner, out _);
        if (bytes is null)
        {
            if (!_source.Optional)
            {
                throw new ConfigurationException($"{_source.Path} does not exist");
            }

            Data = data;
            return;
        }

        object root;
        try
        {
            root = PlistReader.Read(bytes);
        }
        catch (PlistFormatException ex)
        {
            throw new ConfigurationException($"{_source.Path} is not a valid property list: {ex.Message}");
        }

        if (root is not Dictionary<string, object> top)
        {
            throw new ConfigurationException($"{_source.Path}: the top level of the property list must be a dictionary");
        }

        foreach ((string key, object value) in top)
        {
            if (key.StartsWith(MdmPayloadPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal))
            {
                throw new ConfigurationException($"{_source.Path}: the key '{key}' contains '{ConfigurationPath.KeyDelimiter}'; nest a dictionary instead");
            }

            Flatten(data, key, value);
        }

        Data = data;
    }

    public override string ToString() => _source.Path;

    /// <summary>The flattening rule: <paramref name="path"/> is the configuration path of <paramref name="value"/>.</summary>
    internal static void Flatten(IDictionary<string, string?> data, string path, object value)
    {
        switch (value)
        {
            case Dictionary<string, object> dict:
                if (dict.Count == 0)
                {
                    data[path] = null;
                }

                foreach ((string child, object childValue) in dict)
                {
                    if (child.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal))
                    {
                        throw new ConfigurationException($"the key '{child}' under '{path}' contains '{ConfigurationPath.KeyDelimiter}'; nest a dictionary instead");
                    }

                    Flatten(data, ConfigurationPath.Combine(path, child), childValue);
                }

                break;
            case List<object> list:
                if (list.Count == 0)
                {
                    data[path] = null;
                }

                for (int i = 0; i < list.Count; i++)
                {
                    Flatten(data, ConfigurationPath.Combine(path, i.ToString(CultureInfo.InvariantCulture)), list[i]);
                }

                break;
            default:
                data[path] = Scalar(value);
                break;
        }
    }

    private static string Scalar(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("o", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => throw new ConfigurationException($"unsupported property list value {value.GetType().Name}"),
    };
}
