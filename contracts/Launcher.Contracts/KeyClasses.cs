namespace Launcher.Contracts;

/// <summary>
/// The key classes that travel with every identity and proof. A server grants permissions per class, so the
/// class always says where the private key lives.
/// </summary>
public static class KeyClasses
{
    /// <summary>The machine key in a Mac's Secure Enclave, owned by the root daemon, usable before any login.</summary>
    public const string SecureEnclave = "secure-enclave";

    /// <summary>The machine key in a TPM 2.0, owned by the root daemon.</summary>
    public const string Tpm = "tpm";

    /// <summary>A logged-in user's fallback key in the Secure Enclave, held by that user's agent.</summary>
    public const string UserSecureEnclave = "user-secure-enclave";

    /// <summary>A logged-in user's fallback key in a file of that user's (no hardware).</summary>
    public const string UserSoftware = "user-software";

    /// <summary>The machine key in a root-only file (no hardware: development, VMs, old Macs).</summary>
    public const string Software = "software";
}
