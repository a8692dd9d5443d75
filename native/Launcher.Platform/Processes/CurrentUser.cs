using System.Runtime.InteropServices;

namespace Launcher.Platform.Processes;

/// <summary>The effective uid of this process, from the kernel (environment variables such as USER can lie).</summary>
internal static partial class CurrentUser
{
    public static uint EffectiveUid => geteuid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
