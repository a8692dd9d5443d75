using System.Runtime.InteropServices;

namespace Launcher.Platform.Ipc;

/// <summary>This process's own user and group ids.</summary>
internal static partial class ProcessIdentity
{
    public static uint EffectiveUid => NativeGetEuid();

    public static uint EffectiveGid => NativeGetEgid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint NativeGetEuid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint NativeGetEgid();
}
