using Launcher.Platform.Files;

namespace Launcher.Daemon.Identity;

internal static partial class ConsoleUser
{
    // macOS hands /dev/console to the user logged in at the GUI (SCDynamicStoreCopyConsoleUser reports the same
    // owner); at the login window it belongs to root, which means nobody.
    private static uint? ReadMacOS()
    {
        try
        {
            uint owner = FileStatus.LStat("/dev/console").Uid;
            return owner == 0 ? null : owner;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
