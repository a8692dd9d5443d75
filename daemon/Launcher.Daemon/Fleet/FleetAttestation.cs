using Launcher.Contracts.Fleet;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The daemon's half of hardware attestation at enrolment (docs/fleet-protocol.md, "TPM evidence"): the EK (one
/// with a certificate first: RSA-2048, then P-256, then P-384), the AK beside the machine key, TPM2_Certify of the
/// machine key over the challenge nonce, and TPM2_ActivateCredential for the server's challenge.
/// </summary>
internal sealed class FleetAttestation
{
    private static readonly EndorsementKeyKind[] s_preference = [EndorsementKeyKind.Rsa2048, EndorsementKeyKind.EccP256, EndorsementKeyKind.EccP384];

    private readonly ITpmAttestation _tpm;
    private readonly EndorsementKeyKind _kind;
    private readonly AttestationKey _ak;

    private FleetAttestation(ITpmAttestation tpm, EndorsementKeyKind kind, AttestationKey ak, TpmEvidenceParams evidence)
    {
        _tpm = tpm;
        _kind = kind;
        _ak = ak;
        Evidence = evidence;
    }

    /// <summary>The <c>attestation</c> object of <c>fleet/enroll</c>.</summary>
    public TpmEvidenceParams Evidence { get; }

    /// <summary>Gathers the evidence for <paramref name="machineKey"/>, certified over <paramref name="nonce"/>
    /// (the decoded fleet/challenge nonce).</summary>
    /// <exception cref="FleetLinkException">The TPM cannot attest now; the message says why.</exception>
    public static FleetAttestation Gather(ITpmAttestation tpm, ISigningKey machineKey, byte[] nonce)
    {
        KeyStoreAvailability support = tpm.CheckSupport();
        if (!support.IsAvailable)
        {
            throw new FleetLinkException("TPM attestation is not available: " + support.Reason);
        }

        try
        {
            (EndorsementKey ek, byte[]? certificate) = ChooseEndorsementKey(tpm);
            IReadOnlyList<byte[]> chain = tpm.ReadEndorsementCertificateChain();
            AttestationKey ak = tpm.LoadOrCreateAttestationKey();
            MachineKeyCertification certified = tpm.CertifyMachineKey(machineKey, ak, nonce);
            var evidence = new TpmEvidenceParams
            {
                Format = "tpm2",
                EkKind = KindName(ek.Kind),
                EkPublic = Convert.ToBase64String(ek.PublicArea),
                EkCertificate = certificate is null ? null : Convert.ToBase64String(certificate),
                EkChain = chain.Count == 0 ? null : chain.Take(FleetLimits.MaxEkChainLength).Select(Convert.ToBase64String).ToList(),
                AkPublic = Convert.ToBase64String(ak.PublicArea),
                KeyPublic = Convert.ToBase64String(certified.CertifiedPublicArea),
                CertifyInfo = Convert.ToBase64String(certified.Attest),
                CertifySignature = Convert.ToBase64String(certified.SignatureDer),
            };
            return new FleetAttestation(tpm, ek.Kind, ak, evidence);
        }
        catch (Exception e) when (e is IOException or KeyUnusableException or NotSupportedException or ArgumentException)
        {
            throw new FleetLinkException("The TPM could not produce attestation evidence: " + e.Message, inner: e);
        }
    }

    /// <summary>TPM2_ActivateCredential of the server's challenge with the EK and AK the evidence named.</summary>
    /// <exception cref="FleetLinkException">The challenge is malformed or not for this TPM.</exception>
    public byte[] Activate(ActivationChallenge challenge)
    {
        try
        {
            return _tpm.ActivateCredential(_kind, _ak, Convert.FromBase64String(challenge.CredentialBlob), Convert.FromBase64String(challenge.EncryptedSecret));
        }
        catch (FormatException)
        {
            throw new FleetLinkException("The fleet server's activation challenge is not base64.");
        }
        catch (CredentialRejectedException e)
        {
            throw new FleetLinkException("The TPM refused the fleet server's activation challenge (not made for this TPM's EK and AK): " + e.Message, inner: e);
        }
        catch (Exception e) when (e is IOException or KeyUnusableException or NotSupportedException or ArgumentException)
        {
            throw new FleetLinkException("The TPM could not activate the fleet server's credential: " + e.Message, inner: e);
        }
    }

    private static (EndorsementKey Key, byte[]? Certificate) ChooseEndorsementKey(ITpmAttestation tpm)
    {
        EndorsementKey? first = null;
        string? lastError = null;
        foreach (EndorsementKeyKind kind in s_preference)
        {
            try
            {
                EndorsementKey ek = tpm.ReadEndorsementKey(kind);
                if (tpm.ReadEndorsementCertificate(kind) is byte[] certificate)
                {
                    return (ek, certificate);
                }

                first ??= ek;
            }
            catch (NotSupportedException e)
            {
                lastError = e.Message;
            }
        }

        return first is not null ? (first, null) : throw new NotSupportedException("the TPM has no usable endorsement key: " + lastError);
    }

    private static string KindName(EndorsementKeyKind kind) => kind switch
    {
        EndorsementKeyKind.Rsa2048 => "rsa2048",
        EndorsementKeyKind.EccP256 => "ecc-p256",
        _ => "ecc-p384",
    };
}
