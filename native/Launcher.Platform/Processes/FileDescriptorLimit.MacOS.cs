namespace Launcher.Platform.Processes;

internal static partial class FileDescriptorLimit
{
    // <sys/resource.h>; setrlimit refuses a soft RLIMIT_NOFILE above OPEN_MAX (<sys/syslimits.h>) when the hard
    // limit is RLIM_INFINITY, as it is for launchd jobs by default.
    private const int MacOSResourceNoFile = 8;
    private const ulong MacOSMaxSoftLimit = 10240;
    private const string MacOSDescriptorsDirectory = "/dev/fd";
}
