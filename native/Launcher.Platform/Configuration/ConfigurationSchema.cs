namespace Launcher.Platform.Configuration;

/// <summary>
/// The keys a process accepts (full paths such as <c>fleet:server</c>, compared without case, as
/// Microsoft.Extensions.Configuration does). Anything else in a layer is refused at start, with the key named.
/// </summary>
internal sealed class ConfigurationSchema
{
    private readonly HashSet<string> _keys;
    private readonly HashSet<string> _sections;
    private readonly HashSet<string> _secrets;

    public ConfigurationSchema(IEnumerable<string> keys, IEnumerable<string>? secrets = null)
    {
        _keys = new HashSet<string>(keys, StringComparer.OrdinalIgnoreCase);
        _secrets = new HashSet<string>(secrets ?? [], StringComparer.OrdinalIgnoreCase);
        _sections = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in _keys)
        {
            for (int i = key.IndexOf(':', StringComparison.Ordinal); i > 0; i = key.IndexOf(':', i + 1))
            {
                _sections.Add(key[..i]);
            }
        }
    }

    /// <summary>Every key, sorted, for help texts and error messages.</summary>
    public IReadOnlyList<string> Keys => [.. _keys.Order(StringComparer.OrdinalIgnoreCase)];

    public bool IsKey(string path) => _keys.Contains(path);

    /// <summary>A path that holds keys (<c>fleet</c>): given as an empty object it is harmless.</summary>
    public bool IsSection(string path) => _sections.Contains(path);

    /// <summary>A key whose value never appears in a message or a log (the enrolment token).</summary>
    public bool IsSecret(string path) => _secrets.Contains(path);
}
