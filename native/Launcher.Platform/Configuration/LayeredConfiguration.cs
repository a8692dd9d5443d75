using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Launcher.Platform.Configuration;

/// <summary>
/// Configuration layers, later ones overriding earlier ones (file, then managed preferences, then the command line),
/// checked against a <see cref="ConfigurationSchema"/> layer by layer, with typed getters whose errors name the key,
/// the value (unless secret) and the layer it came from.
/// </summary>
internal sealed class LayeredConfiguration
{
    private readonly IReadOnlyList<ConfigurationLayer> _layers;
    private readonly IReadOnlyList<IConfigurationProvider> _providers;
    private readonly ConfigurationSchema _schema;

    private LayeredConfiguration(IConfigurationRoot root, IReadOnlyList<ConfigurationLayer> layers, ConfigurationSchema schema)
    {
        Root = root;
        _layers = layers;
        _providers = [.. root.Providers];
        _schema = schema;
    }

    public IConfigurationRoot Root { get; }

    /// <summary>Builds the layers and refuses any key the schema does not know. Throws <see cref="ConfigurationException"/>.</summary>
    public static LayeredConfiguration Build(IReadOnlyList<ConfigurationLayer> layers, ConfigurationSchema schema)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new ConfigurationBuilder();
        foreach (ConfigurationLayer layer in layers)
        {
            builder.Add(layer.Source);
        }

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (ConfigurationException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The JSON provider reports syntax errors and duplicate keys this way; say which layer it was.
            string which = layers.Count == 1 ? layers[0].Label : string.Join(", ", layers.Select(l => l.Label));
            throw new ConfigurationException($"{which}: {Inner(ex).Message}");
        }

        var configuration = new LayeredConfiguration(root, layers, schema);
        configuration.CheckKeys();
        return configuration;
    }

    /// <summary>The label of the layer that gives <paramref name="key"/> its value (the last one that has it).</summary>
    public string SourceOf(string key)
    {
        for (int i = _providers.Count - 1; i >= 0; i--)
        {
            if (_providers[i].TryGet(key, out _))
            {
                return _layers[i].Label;
            }
        }

        return "the defaults";
    }

    /// <summary>True when some layer sets <paramref name="key"/> (to a non-empty value).</summary>
    public bool Has(string key) => !string.IsNullOrEmpty(Root[key]);

    public string? GetString(string key, int maxLength = 4096)
    {
        string? value = Root[key];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            throw Invalid(key, $"longer than {maxLength} characters");
        }

        if (value.Any(char.IsControl))
        {
            throw Invalid(key, "contains control characters");
        }

        return value;
    }

    public bool? GetBool(string key)
    {
        string? value = GetString(key);
        if (value is null)
        {
            return null;
        }

        return bool.TryParse(value, out bool result) ? result : throw Invalid(key, "must be true or false");
    }

    public long? GetInteger(string key, long min, long max)
    {
        string? value = GetString(key);
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result))
        {
            throw Invalid(key, "must be a whole number");
        }

        return result < min || result > max
            ? throw Invalid(key, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"))
            : result;
    }

    public double? GetNumber(string key, double min, double max)
    {
        string? value = GetString(key);
        if (value is null)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result) || !double.IsFinite(result))
        {
            throw Invalid(key, "must be a number");
        }

        return result < min || result > max
            ? throw Invalid(key, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"))
            : result;
    }

    public string? GetChoice(string key, IReadOnlyCollection<string> allowed)
    {
        string? value = GetString(key);
        if (value is null)
        {
            return null;
        }

        string? match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        return match ?? throw Invalid(key, "must be one of " + string.Join(", ", allowed));
    }

    /// <summary>An absolute path (a relative one would depend on the working directory the service manager picks).</summary>
    public string? GetAbsolutePath(string key)
    {
        string? value = GetString(key);
        if (value is null)
        {
            return null;
        }

        return Path.IsPathFullyQualified(value) ? Path.GetFullPath(value) : throw Invalid(key, "must be an absolute path");
    }

    /// <summary>An error about <paramref name="key"/>'s current value, naming where it came from.</summary>
    public ConfigurationException Invalid(string key, string reason)
    {
        string value = _schema.IsSecret(key) ? "(hidden)" : $"'{Root[key]}'";
        return new ConfigurationException($"{key} = {value} (from {SourceOf(key)}): {reason}", key);
    }

    private static Exception Inner(Exception ex) => ex.InnerException is JsonException json ? json : ex;

    private void CheckKeys()
    {
        for (int i = 0; i < _providers.Count; i++)
        {
            foreach ((string path, string? value) in Leaves(_providers[i], null))
            {
                if (_schema.IsKey(path))
                {
                    continue;
                }

                if (_schema.IsSection(path))
                {
                    if (string.IsNullOrEmpty(value))
                    {
                        continue;
                    }

                    throw new ConfigurationException($"'{path}' in {_layers[i].Label} must be an object with keys, not a value", path);
                }

                throw new ConfigurationException(
                    $"unknown key '{path}' in {_layers[i].Label}. Known keys: {string.Join(", ", _schema.Keys)}",
                    path);
            }
        }
    }

    private static IEnumerable<(string Path, string? Value)> Leaves(IConfigurationProvider provider, string? parent)
    {
        foreach (string child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            string path = parent is null ? child : ConfigurationPath.Combine(parent, child);
            bool hasChildren = provider.GetChildKeys([], path).Any();
            if (!hasChildren)
            {
                provider.TryGet(path, out string? value);
                yield return (path, value);
                continue;
            }

            foreach ((string Path, string? Value) leaf in Leaves(provider, path))
            {
                yield return leaf;
            }
        }
    }
}
