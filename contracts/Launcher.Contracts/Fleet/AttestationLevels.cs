namespace Launcher.Contracts.Fleet;

/// <summary>What the server can say about where a machine key lives (docs/identity.md, "Hardware attestation").</summary>
public static class AttestationLevels
{
    /// <summary>Possession of the enrolled key only, for a key class that is neither hardware nor software.</summary>
    public const string None = "none";

    /// <summary>A software key (the daemon said so; nothing to verify).</summary>
    public const string Software = "software";

    /// <summary>A Secure Enclave key, reported by the daemon and not verified (an Apple MDA certificate never changes this).</summary>
    public const string SecureEnclaveReported = "secure-enclave-reported";

    /// <summary>A TPM key certified by an activated AK whose EK's certificate does not chain to a trusted maker's root (the reason is recorded).</summary>
    public const string TpmUnverified = "tpm-unverified";

    /// <summary>A TPM key certified by an activated AK whose EK is on the server's allow-list (SHA-256 of its public key).</summary>
    public const string TpmEkAllowlisted = "tpm-ek-allowlisted";

    /// <summary>A TPM key certified by an AK activated against an EK whose certificate chains to a trusted maker's root.</summary>
    public const string TpmEkVerified = "tpm-ek-verified";
}
