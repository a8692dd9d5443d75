using Launcher.Platform.Keys;

namespace Launcher.Platform.Attestation;

/// <summary>
/// The TPM attestation primitives the daemon uses during fleet enrolment: the endorsement key and its certificate,
/// the attestation key, credential activation and certification of the machine key. A key store without a TPM
/// (Secure Enclave, software) answers <see cref="CheckSupport"/> with the reason and throws
/// <see cref="NotSupportedException"/> from everything else.
/// </summary>
/// <remarks>
/// Errors: <see cref="NotSupportedException"/> (no TPM attestation here, or the TPM lacks that EK's algorithm),
/// <see cref="IOException"/> (the TPM cannot be used now: retry later), <see cref="KeyUnusableException"/> (a key
/// blob the TPM rejects), <see cref="CredentialRejectedException"/> (a credential not made for this EK and AK),
/// <see cref="ArgumentException"/> (malformed input). Every transient TPM object and session an operation loads
/// is flushed before it returns.
/// </remarks>
internal interface ITpmAttestation
{
    /// <summary>Whether TPM attestation can be used here and now, with the reason when it cannot.</summary>
    KeyStoreAvailability CheckSupport();

    /// <summary>Reads (or derives from its template) the endorsement key of <paramref name="kind"/>.</summary>
    EndorsementKey ReadEndorsementKey(EndorsementKeyKind kind);

    /// <summary>The DER EK certificate of <paramref name="kind"/> from NV (TCG header stripped), or null when
    /// the TPM has none (many cloud vTPMs).</summary>
    byte[]? ReadEndorsementCertificate(EndorsementKeyKind kind);

    /// <summary>The certificates of the EK chain the TPM maker stored in NV (indices 0x01c00100 to 0x01c001ff), in
    /// index order, DER; empty when there are none (most makers publish their intermediates instead).</summary>
    IReadOnlyList<byte[]> ReadEndorsementCertificateChain();

    /// <summary>Loads the attestation key from its files, or creates and persists one when there is none. An AK
    /// the TPM rejects (another TPM, the owner hierarchy cleared) is replaced: the AK carries no identity of its
    /// own, the server binds it anew by credential activation at every enrolment.</summary>
    AttestationKey LoadOrCreateAttestationKey();

    /// <summary>Deletes the attestation key files.</summary>
    void DeleteAttestationKey();

    /// <summary>TPM2_Certify of <paramref name="machineKey"/> (a key of this store) by <paramref name="attestationKey"/>
    /// over the server's <paramref name="nonce"/> (16 to 64 bytes).</summary>
    MachineKeyCertification CertifyMachineKey(ISigningKey machineKey, AttestationKey attestationKey, ReadOnlySpan<byte> nonce);

    /// <summary>TPM2_ActivateCredential with the EK of <paramref name="kind"/>: returns the credential the server
    /// encrypted. <paramref name="credentialBlob"/> is a marshalled TPM2B_ID_OBJECT and
    /// <paramref name="encryptedSecret"/> a marshalled TPM2B_ENCRYPTED_SECRET, each with its 2-byte size.</summary>
    byte[] ActivateCredential(EndorsementKeyKind kind, AttestationKey attestationKey, ReadOnlySpan<byte> credentialBlob, ReadOnlySpan<byte> encryptedSecret);
}
