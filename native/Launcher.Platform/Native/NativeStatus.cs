namespace Launcher.Platform.Native;

/// <summary>The lnk_status values of launcher_native.h.</summary>
internal enum NativeStatus
{
    Ok = 0,
    InvalidArgument = 1,
    BufferTooSmall = 2,
    Unavailable = 3,
    KeyInvalid = 4,
    NotPermitted = 5,
    Device = 6,
    Internal = 7,
    NotFound = 8,
    NotSupported = 9,
    CredentialRejected = 10,
}
