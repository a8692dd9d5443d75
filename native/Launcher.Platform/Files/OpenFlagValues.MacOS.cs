namespace Launcher.Platform.Files;

internal sealed partial record OpenFlagValues
{
    // <sys/fcntl.h> and <sys/errno.h> on Darwin.
    private static readonly OpenFlagValues MacOS = new(WriteOnly: 0x1, Create: 0x200, Exclusive: 0x800, NoFollow: 0x100, CloseOnExec: 0x1000000, ELoop: 62, ENoEnt: 2);
}
