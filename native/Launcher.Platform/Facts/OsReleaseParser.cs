using System.Text;

namespace Launcher.Platform.Facts;

/// <summary>Parses os-release(5): KEY=value lines with shell-style quoting; comments and junk lines are skipped.</summary>
internal static class OsReleaseParser
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsVariableName(line.AsSpan(0, equals)))
            {
                continue;
            }

            if (Unquote(line.AsSpan(equals + 1)) is string value)
            {
                // Later assignments win, as when the file is sourced by a shell.
                values[line[..equals]] = value;
            }
        }

        return values;
    }

    /// <summary>NAME and VERSION_ID, each null when absent or empty.</summary>
    public static (string? Name, string? VersionId) NameAndVersion(string text)
    {
        IReadOnlyDictionary<string, string> values = Parse(text);
        return (NonEmpty(values, "NAME"), NonEmpty(values, "VERSION_ID"));
    }

    private static string? NonEmpty(IReadOnlyDictionary<string, string> values, string key)
        => values.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool IsVariableName(ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return !char.IsAsciiDigit(name[0]);
    }

    // Returns null for a value the spec does not allow (an unterminated quote), so a broken line is ignored
    // rather than half-read.
    private static string? Unquote(ReadOnlySpan<char> value)
    {
        var result = new StringBuilder(value.Length);
        int i = 0;
        while (i < value.Length)
        {
            char c = value[i];
            if (c == '"')
            {
                i++;
                bool closed = false;
                while (i < value.Length)
                {
                    char d = value[i++];
                    if (d == '"')
                    {
                        closed = true;
                        break;
                    }

                    // Inside double quotes a backslash escapes only $ " \ and `; before anything else it is literal.
                    if (d == '\\' && i < value.Length && value[i] is '$' or '"' or '\\' or '`')
                    {
                        d = value[i++];
                    }

                    result.Append(d);
                }

                if (!closed)
                {
                    return null;
                }
            }
            else if (c == '\'')
            {
                int end = value[(i + 1)..].IndexOf('\'');
                if (end < 0)
                {
                    return null;
                }

                result.Append(value.Slice(i + 1, end));
                i += end + 2;
            }
            else if (c == '\\' && i + 1 < value.Length)
            {
                result.Append(value[i + 1]);
                i += 2;
            }
            else if (char.IsWhiteSpace(c) || c == '#')
            {
                // An unquoted space ends the value; what follows is a comment or garbage.
                break;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }
}
