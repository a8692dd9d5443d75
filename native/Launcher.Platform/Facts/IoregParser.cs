using System.Text.RegularExpressions;

namespace Launcher.Platform.Facts;

/// <summary>Parses <c>ioreg -rd1 -c IOPlatformExpertDevice</c>: the string properties of the platform expert.</summary>
internal static partial class IoregParser
{
    /// <summary>IOPlatformSerialNumber and IOPlatformUUID, each null when absent or a placeholder.</summary>
    public static (string? SerialNumber, string? HardwareUuid) ParsePlatformExpert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? serial = null;
        string? uuid = null;
        foreach (string line in text.Split('\n'))
        {
            Match match = StringProperty().Match(line);
            if (!match.Success)
            {
                continue;
            }

            string key = match.Groups["key"].Value;
            string value = match.Groups["value"].Value;
            if (key == "IOPlatformSerialNumber")
            {
                serial ??= FactValues.CleanSerial(value);
            }
            else if (key == "IOPlatformUUID")
            {
                uuid ??= FactValues.CleanUuid(value);
            }
        }

        return (serial, uuid);
    }

    // Only quoted string values: ioreg prints data as <...> and numbers bare, and neither key we want is those.
    [GeneratedRegex("""^\s*"(?<key>[^"]+)"\s*=\s*"(?<value>[^"]*)"\s*$""")]
    private static partial Regex StringProperty();
}
