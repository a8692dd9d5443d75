using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

/// <summary>The Code Signing Services calls of Security.framework (<c>&lt;Security/SecCode.h&gt;</c>, <c>SecRequirement.h</c>).</summary>
[SupportedOSPlatform("macos")]
internal static partial class SecurityFramework
{
    public const string LibraryPath = "/System/Library/Frameworks/Security.framework/Security";

    /// <summary>kSecCSDefaultFlags.</summary>
    public const uint DefaultFlags = 0;

    /// <summary>errSecSuccess.</summary>
    public const int Success = 0;

    private static readonly IntPtr s_library = NativeLibrary.Load(LibraryPath);

    /// <summary>The kSecGuestAttributeAudit key: its value is a CFData holding an audit_token_t.</summary>
    public static IntPtr GuestAttributeAudit { get; } = CoreFoundation.ReadExportedConstant(s_library, "kSecGuestAttributeAudit");

    /// <summary>Security's own text for an OSStatus, with the number; never throws.</summary>
    public static string Describe(int status)
    {
        IntPtr message = SecCopyErrorMessageString(status, IntPtr.Zero);
        try
        {
            string? text = CoreFoundation.ToManagedString(message);
            return string.IsNullOrEmpty(text) ? $"OSStatus {status}" : $"{text} (OSStatus {status})";
        }
        finally
        {
            CoreFoundation.Release(message);
        }
    }

    /// <summary>Host NULL means the kernel, the root of code-signing trust.</summary>
    [LibraryImport(LibraryPath)]
    public static partial int SecCodeCopyGuestWithAttributes(IntPtr host, IntPtr attributes, uint flags, out IntPtr guest);

    [LibraryImport(LibraryPath)]
    public static partial int SecRequirementCreateWithString(IntPtr text, uint flags, out IntPtr requirement);

    [LibraryImport(LibraryPath)]
    public static partial int SecCodeCheckValidity(IntPtr code, uint flags, IntPtr requirement);

    [LibraryImport(LibraryPath)]
    private static partial IntPtr SecCopyErrorMessageString(int status, IntPtr reserved);
}
