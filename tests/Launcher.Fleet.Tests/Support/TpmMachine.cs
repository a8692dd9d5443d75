using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;
using Launcher.Platform.Tests.Tpm;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A machine key in a real TPM (a <see cref="TpmKeyStore"/> on swtpm) and the daemon's attestation steps done by
/// hand, so that a test can tamper with exactly one piece of the evidence before it goes on the wire.
/// </summary>
internal sealed class TpmMachine : IDisposable
{
    private TpmMachine(SwtpmInstance tpm, string stateDirectory)
    {
        Tpm = tpm;
        StateDirectory = stateDirectory;
        Store = new TpmKeyStore(stateDirectory, tpm.Tcti);
        Key = Store.KeyExists() ? Store.Load() : Store.Create();
        PublicKey = EcPublicKey.FromSec1(Key.PublicKeySec1.Span);
    }

    public SwtpmInstance Tpm { get; }

    public string StateDirectory { get; }

    public TpmKeyStore Store { get; }

    public ISigningKey Key { get; }

    public EcPublicKey PublicKey { get; }

    public ITpmAttestation Attestation => Store.Attestation;

    /// <summary>A new machine key in <paramref name="tpm"/>, its blobs in a fresh directory.</summary>
    public static TpmMachine Create(SwtpmInstance tpm) => new(tpm, Directory.CreateTempSubdirectory("lfleet-tpmkey-").FullName);

    /// <summary>A machine proof over the challenge, signed by the TPM key.</summary>
    public string Proof(TestMachine link, ChallengeResult challenge, string keyClass = KeyClasses.Tpm)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new ProofClaims
        {
            Audience = challenge.Audience,
            Nonce = challenge.Nonce,
            IssuedAt = now,
            ExpiresAt = now + 120,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = keyClass,
            TlsCertificateSha256 = link.ChannelBinding,
        };
        return ProofWriter.Create(ProofFormat.MachineProofType, PublicKey, claims, digest => Key.SignDigest(digest));
    }

    /// <summary>The evidence the daemon sends: the RSA-2048 EK and its certificate, the AK, TPM2_Certify of
    /// <paramref name="certified"/> (default: this machine's key) over <paramref name="nonce"/>.</summary>
    public (TpmEvidenceParams Evidence, AttestationKey Ak) Evidence(byte[] nonce, ISigningKey? certified = null)
    {
        EndorsementKey ek = Attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048);
        byte[]? certificate = Attestation.ReadEndorsementCertificate(EndorsementKeyKind.Rsa2048);
        AttestationKey ak = Attestation.LoadOrCreateAttestationKey();
        MachineKeyCertification certify = Attestation.CertifyMachineKey(certified ?? Key, ak, nonce);
        return (new TpmEvidenceParams
        {
            Format = "tpm2",
            EkKind = "rsa2048",
            EkPublic = Convert.ToBase64String(ek.PublicArea),
            EkCertificate = certificate is null ? null : Convert.ToBase64String(certificate),
            AkPublic = Convert.ToBase64String(ak.PublicArea),
            KeyPublic = Convert.ToBase64String(certify.CertifiedPublicArea),
            CertifyInfo = Convert.ToBase64String(certify.Attest),
            CertifySignature = Convert.ToBase64String(certify.SignatureDer),
        }, ak);
    }

    /// <summary>TPM2_ActivateCredential of the server's challenge.</summary>
    public byte[] Activate(AttestationKey ak, ActivationChallenge challenge) =>
        Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, Convert.FromBase64String(challenge.CredentialBlob), Convert.FromBase64String(challenge.EncryptedSecret));

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(StateDirectory, recursive: true);
    }
}
