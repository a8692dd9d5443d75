using System.Runtime.InteropServices;

namespace Launcher.Platform.Files;

/// <summary>open(2) flag and errno numbers, which differ between operating systems and architectures.</summary>
internal sealed partial record OpenFlagValues(int WriteOnly, int Create, int Exclusive, int NoFollow, int CloseOnExec, int ELoop, int ENoEnt)
{
    private static readonly Lazy<OpenFlagValues> s_current = new(Select);

    public static OpenFlagValues Current => s_current.Value;

    public int Translate(OpenFlags flags) => flags switch
    {
        OpenFlags.ReadOnly => NoFollow | CloseOnExec,
        OpenFlags.CreateExclusiveWriteOnly => WriteOnly | Create | Exclusive | NoFollow | CloseOnExec,
        _ => throw new ArgumentOutOfRangeException(nameof(flags)),
    };

    private static OpenFlagValues Select()
    {
        if (OperatingSystem.IsMacOS())
        {
            return MacOS;
        }

        if (OperatingSystem.IsLinux())
        {
            return RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? LinuxArm : LinuxGeneric;
        }

        throw new PlatformNotSupportedException("Launcher runs on Linux and macOS.");
    }
}
