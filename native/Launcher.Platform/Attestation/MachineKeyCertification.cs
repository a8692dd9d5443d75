using Launcher.Contracts.Proofs;

namespace Launcher.Platform.Attestation;

/// <summary>The result of TPM2_Certify of the machine key by the attestation key.</summary>
/// <param name="Attest">The TPMS_ATTEST the AK signed: magic 0xff544347, type 0x8017 (TPM_ST_ATTEST_CERTIFY),
/// extraData = the nonce, and the certified key's name 0x000B || SHA-256(CertifiedPublicArea).</param>
/// <param name="SignatureDer">The AK's ECDSA P-256 signature over SHA-256(Attest), DER
/// (SEQUENCE { INTEGER r, INTEGER s }).</param>
/// <param name="CertifiedPublicArea">The machine key's TPMT_PUBLIC as the TPM marshals it.</param>
internal sealed record MachineKeyCertification(byte[] Attest, byte[] SignatureDer, byte[] CertifiedPublicArea)
{
    /// <summary>The signature as r || s (64 bytes, IEEE P1363), the form JOSE uses.</summary>
    public byte[] SignatureP1363() => EcdsaSignature.DerToP1363(SignatureDer, 32);
}
