namespace Launcher.Platform.Facts;

/// <summary>Parses <c>sw_vers</c> output ("ProductName:\tmacOS", "ProductVersion:\t14.4.1", ...).</summary>
internal static class SwVersParser
{
    public static (string? ProductName, string? ProductVersion) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? name = null;
        string? version = null;
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (value.Length == 0)
            {
                continue;
            }

            if (key == "ProductName")
            {
                name ??= value;
            }
            else if (key == "ProductVersion")
            {
                version ??= value;
            }
        }

        return (name, version);
    }
}
