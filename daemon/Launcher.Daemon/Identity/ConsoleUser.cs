namespace Launcher.Daemon.Identity;

/// <summary>
/// The uid of the user at the machine's console, the one user whose agent may serve the user-key fallback when no
/// <c>--user-key-uids</c> are configured. Null when nobody is logged in there (or it cannot be told).
/// </summary>
internal static partial class ConsoleUser
{
    public static uint? Read() => OperatingSystem.IsMacOS() ? ReadMacOS() : ReadLinux();
}
