namespace Launcher.Platform.Native;

/// <summary>LNK_ACCESS_* of launcher_native.h: when a created key may be used.</summary>
internal enum NativeAccess : uint
{
    /// <summary>Before any login (the daemon's machine key).</summary>
    Always = 1,

    /// <summary>After the first unlock of this device (an agent's user key).</summary>
    AfterFirstUnlock = 2,
}
