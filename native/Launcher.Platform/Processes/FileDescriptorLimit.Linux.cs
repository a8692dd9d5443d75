namespace Launcher.Platform.Processes;

internal static partial class FileDescriptorLimit
{
    // <asm-generic/resource.h>
    private const int LinuxResourceNoFile = 7;
    private const string LinuxDescriptorsDirectory = "/proc/self/fd";
}
