namespace Launcher.Platform.Attestation;

/// <summary>A TPM's endorsement key, as a fleet server needs it.</summary>
/// <param name="Kind">Which of the TPM's EKs this is.</param>
/// <param name="PublicArea">The EK's TPMT_PUBLIC as the TPM marshals it (no size prefix): what
/// TPM2_MakeCredential needs (nameAlg, symmetric key size, the key).</param>
/// <param name="Name">nameAlg || H(PublicArea).</param>
/// <param name="SubjectPublicKeyInfo">The key as a DER SubjectPublicKeyInfo, comparable byte for byte with the
/// key of the EK certificate.</param>
/// <param name="Source">Whether the key came from its persistent handle or was derived from its template.</param>
internal sealed record EndorsementKey(
    EndorsementKeyKind Kind,
    byte[] PublicArea,
    byte[] Name,
    byte[] SubjectPublicKeyInfo,
    EndorsementKeySource Source);
