using System.Globalization;

namespace Launcher.Fleet.Cli;

/// <summary>Durations on the command line: a number with a unit, s, m, h or d (90s, 30m, 24h, 7d).</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0 || value > 10_000_000)
        {
            return false;
        }

        duration = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(366);
    }
}
