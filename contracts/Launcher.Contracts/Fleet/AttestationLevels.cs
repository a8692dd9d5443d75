namespace Launcher.Contracts.Fleet;

/// <summary>What the server can say about where a machine key lives (FLEET.md section 4).</summary>
public static class AttestationLevels
{
    /// <summary>Possession of the enrolled key only; the key class is as the daemon reported it.</summary>
    public const string None = "none";

    /// <summary>A software key (the daemon said so; nothing to verify).</summary>
    public const string Software = "software";

    /// <summary>A Secure Enclave key, reported by the daemon and not verified (no MDM attestation).</summary>
    public const string SecureEnclaveReported = "secure-enclave-reported";

    /// <summary>A TPM key, reported by the daemon and not verified (no TPM evidence given).</summary>
    public const string TpmReported = "tpm-reported";

    /// <summary>A TPM key certified by an attestation key activated against an EK certificate chaining to a trusted maker's root.</summary>
    public const string TpmEkVerified = "tpm-ek-verified";
}
