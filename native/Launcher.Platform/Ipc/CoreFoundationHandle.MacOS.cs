using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

/// <summary>Owns one CoreFoundation reference (a +1 from a Create or Copy call) and releases it exactly once.</summary>
[SupportedOSPlatform("macos")]
internal sealed class CoreFoundationHandle : SafeHandle
{
    public CoreFoundationHandle(IntPtr reference)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(reference);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        CoreFoundation.Release(handle);
        return true;
    }
}
