using Launcher.Platform.Keys;

namespace Launcher.Platform.Attestation;

/// <summary>The attestation of a key store without a TPM: it says why, and refuses every operation.</summary>
internal sealed class UnsupportedTpmAttestation : ITpmAttestation
{
    private readonly string _reason;

    public UnsupportedTpmAttestation(string reason)
    {
        _reason = reason;
    }

    public KeyStoreAvailability CheckSupport() => KeyStoreAvailability.Unavailable(_reason);

    public EndorsementKey ReadEndorsementKey(EndorsementKeyKind kind) => throw NotSupported();

    public byte[]? ReadEndorsementCertificate(EndorsementKeyKind kind) => throw NotSupported();

    public IReadOnlyList<byte[]> ReadEndorsementCertificateChain() => throw NotSupported();

    public AttestationKey LoadOrCreateAttestationKey() => throw NotSupported();

    public void DeleteAttestationKey() => throw NotSupported();

    public MachineKeyCertification CertifyMachineKey(ISigningKey machineKey, AttestationKey attestationKey, ReadOnlySpan<byte> nonce) => throw NotSupported();

    public byte[] ActivateCredential(EndorsementKeyKind kind, AttestationKey attestationKey, ReadOnlySpan<byte> credentialBlob, ReadOnlySpan<byte> encryptedSecret) => throw NotSupported();

    private NotSupportedException NotSupported() => new(_reason);
}
