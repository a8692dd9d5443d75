namespace Launcher.Fleet.Store;

/// <summary>One row of <c>machines</c>. Facts are as the machine reported them.</summary>
internal sealed class MachineRow
{
    public string Id { get; set; } = string.Empty;

    public string Thumbprint { get; set; } = string.Empty;

    /// <summary>The DER SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey { get; set; } = string.Empty;

    public string KeyClass { get; set; } = string.Empty;

    public string AttestationLevel { get; set; } = string.Empty;

    /// <summary>The TPM maker from the EK certificate (tpm- levels with a certificate).</summary>
    public string? TpmMaker { get; set; }

    /// <summary>Why the level is what it is (for tpm-unverified: why the EK chain did not verify).</summary>
    public string? AttestationDetail { get; set; }

    /// <summary>From an admin-supplied Apple MDA certificate (verified to Apple's root); null when none was given.</summary>
    public string? AppleSerial { get; set; }

    public string? AppleUdid { get; set; }

    public string? AppleOsVersion { get; set; }

    /// <summary><c>match</c>, <c>mismatch</c> or <c>not-attested</c>: the attested serial against the reported one.</summary>
    public string? AppleSerialMatch { get; set; }

    public string? AppleLeafSha256 { get; set; }

    public long? AppleAttestedAt { get; set; }

    public string? Serial { get; set; }

    public string? HardwareUuid { get; set; }

    public string? Model { get; set; }

    public string? OsName { get; set; }

    public string? OsVersion { get; set; }

    public string? Hostname { get; set; }

    public string? Grp { get; set; }

    public long Revoked { get; set; }

    public long? RevokedAt { get; set; }

    public long EnrolledAt { get; set; }

    public long? LastSeen { get; set; }

    public string? Certificate { get; set; }

    public string? CertSerial { get; set; }

    public long? CertNotAfter { get; set; }

    public bool IsRevoked => Revoked != 0;
}
