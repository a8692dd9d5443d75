namespace Launcher.Attestation.Verification;

/// <summary>
/// What a daemon sends to prove its machine key lives in its TPM. Every TPM structure is marshalled as the TPM
/// produced it (public areas as TPMT_PUBLIC without a size prefix: names are computed over exactly these bytes); the
/// server parses with bounds checks and trusts none of it until verified.
/// </summary>
public sealed record TpmEvidence
{
    /// <summary>The EK's TPMT_PUBLIC.</summary>
    public required byte[] EkPublic { get; init; }

    /// <summary>The EK certificate (DER) read from NV, when the TPM has one.</summary>
    public byte[]? EkCertificate { get; init; }

    /// <summary>Intermediate CA certificates (DER) stored in NV, if any.</summary>
    public IReadOnlyList<byte[]> EkIntermediates { get; init; } = [];

    /// <summary>The attestation key's TPMT_PUBLIC.</summary>
    public required byte[] AkPublic { get; init; }

    /// <summary>The machine key's TPMT_PUBLIC.</summary>
    public required byte[] KeyPublic { get; init; }

    /// <summary>The TPMS_ATTEST that TPM2_Certify produced for the machine key, signed by the AK.</summary>
    public required byte[] CertifyInfo { get; init; }

    /// <summary>The AK's ECDSA signature over SHA-256(<see cref="CertifyInfo"/>), DER (SEQUENCE { INTEGER r, INTEGER s }).</summary>
    public required byte[] CertifySignature { get; init; }
}
