using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>
/// The <c>attestation</c> object of <c>fleet/enroll</c>: TPM evidence that the machine key lives in this machine's
/// TPM (docs/fleet-protocol.md, "TPM evidence"). Every binary member is standard base64 (with padding).
/// </summary>
public sealed record TpmEvidenceParams : IRpcValidatable
{
    /// <summary>The evidence format; <c>tpm2</c> is the only one.</summary>
    public required string Format { get; init; }

    /// <summary>The EK the daemon chose: <c>rsa2048</c>, <c>ecc-p256</c> or <c>ecc-p384</c>.</summary>
    public required string EkKind { get; init; }

    /// <summary>The EK's public area (a marshalled TPMT_PUBLIC, without the TPM2B size).</summary>
    public required string EkPublic { get; init; }

    /// <summary>The EK certificate (DER) from the TPM's NV, TCG header stripped; absent when the TPM has none.</summary>
    public string? EkCertificate { get; init; }

    /// <summary>Intermediate certificates (DER) the TPM maker stored in NV, in index order.</summary>
    public IReadOnlyList<string>? EkChain { get; init; }

    /// <summary>The attestation key's public area (TPMT_PUBLIC).</summary>
    public required string AkPublic { get; init; }

    /// <summary>The machine key's public area (TPMT_PUBLIC).</summary>
    public required string KeyPublic { get; init; }

    /// <summary>The TPMS_ATTEST of TPM2_Certify of the machine key by the AK; its qualifying data is the 32 nonce
    /// bytes of this connection's <c>fleet/challenge</c> (the base64url-decoded <c>nonce</c> of the proof).</summary>
    public required string CertifyInfo { get; init; }

    /// <summary>The AK's ECDSA signature over <see cref="CertifyInfo"/>, DER (RFC 3279).</summary>
    public required string CertifySignature { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Format != "tpm2")
        {
            return "attestation.format must be tpm2.";
        }

        if (EkKind is not ("rsa2048" or "ecc-p256" or "ecc-p384"))
        {
            return "attestation.ekKind must be rsa2048, ecc-p256 or ecc-p384.";
        }

        foreach (string? field in (string?[])[EkPublic, EkCertificate, AkPublic, KeyPublic, CertifyInfo, CertifySignature])
        {
            if (field is { Length: > FleetLimits.MaxEvidenceFieldLength })
            {
                return $"attestation fields are at most {FleetLimits.MaxEvidenceFieldLength} characters.";
            }
        }

        if (EkChain is { Count: > FleetLimits.MaxEkChainLength })
        {
            return $"attestation.ekChain holds at most {FleetLimits.MaxEkChainLength} certificates.";
        }

        return EkChain?.Any(c => c.Length is 0 or > FleetLimits.MaxEvidenceFieldLength) == true
            ? $"attestation.ekChain certificates are 1 to {FleetLimits.MaxEvidenceFieldLength} characters."
            : null;
    }
}
