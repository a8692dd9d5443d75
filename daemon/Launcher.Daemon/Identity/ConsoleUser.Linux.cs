using System.Globalization;

namespace Launcher.Daemon.Identity;

internal static partial class ConsoleUser
{
    // systemd-logind keeps each seat's state here; ACTIVE_UID is the owner of the session in the foreground of
    // seat0 (what `loginctl show-seat seat0` reports), absent when no one is logged in at the console.
    private const string Seat0StatePath = "/run/systemd/seats/seat0";

    private static uint? ReadLinux() => ParseSeatState(ReadSeatState());

    /// <summary>The ACTIVE_UID of a logind seat state file, or null.</summary>
    public static uint? ParseSeatState(string? state)
    {
        if (state is null)
        {
            return null;
        }

        foreach (string line in state.Split('\n'))
        {
            if (line.StartsWith("ACTIVE_UID=", StringComparison.Ordinal)
                && uint.TryParse(line.AsSpan(11).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint uid))
            {
                return uid;
            }
        }

        return null;
    }

    private static string? ReadSeatState()
    {
        try
        {
            var info = new FileInfo(Seat0StatePath);
            return info.Exists && info.Length < 64 * 1024 ? File.ReadAllText(Seat0StatePath) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
