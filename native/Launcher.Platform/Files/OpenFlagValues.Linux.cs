namespace Launcher.Platform.Files;

internal sealed partial record OpenFlagValues
{
    // <asm-generic/fcntl.h> (x86, x86_64, riscv) and ARM's own values for O_NOFOLLOW.
    private static readonly OpenFlagValues LinuxGeneric = new(WriteOnly: 0x1, Create: 0x40, Exclusive: 0x80, NoFollow: 0x20000, CloseOnExec: 0x80000, ELoop: 40, ENoEnt: 2);
    private static readonly OpenFlagValues LinuxArm = new(WriteOnly: 0x1, Create: 0x40, Exclusive: 0x80, NoFollow: 0x8000, CloseOnExec: 0x80000, ELoop: 40, ENoEnt: 2);
}
