using System.Security.Cryptography;
using Launcher.Attestation.Tpm;
using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Verification;

/// <summary>
/// Checks TPM evidence before the credential-activation round trip: every structure parses; the AK is a restricted
/// P-256 ECDSA signing key made in the TPM; TPM2_Certify names exactly the machine key's public area, carries the
/// server's nonce and is signed by the AK; the machine key is a non-restricted, TPM-generated, non-duplicable P-256
/// signing key whose point is the <c>jwk</c> of the daemon's proofs; and the EK certificate names the EK.
/// </summary>
public static class TpmEvidenceVerifier
{
    private const TpmObjectAttributes AkRequired = TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent
        | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.Restricted | TpmObjectAttributes.Sign;

    private const TpmObjectAttributes KeyRequired = TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent
        | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.Sign;

    /// <summary>Verifies <paramref name="evidence"/> for a machine whose proofs carry the P-256 point (x, y).</summary>
    /// <exception cref="AttestationException">A check failed; the message names it.</exception>
    public static VerifiedEvidence Verify(TpmEvidence evidence, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> proofX, ReadOnlySpan<byte> proofY, TpmTrust trust, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        TpmPublic ek = Parse(evidence.EkPublic, "EK public area");
        TpmPublic ak = Parse(evidence.AkPublic, "AK public area");
        TpmPublic key = Parse(evidence.KeyPublic, "machine key public area");

        if (!ek.Has(TpmObjectAttributes.Restricted | TpmObjectAttributes.Decrypt | TpmObjectAttributes.FixedTpm) || ek.Has(TpmObjectAttributes.Sign))
        {
            throw new AttestationException("the EK is not a restricted, fixed decryption key");
        }

        CheckAk(ak);
        CheckKey(key, proofX, proofY);

        TpmAttest attest;
        try
        {
            attest = TpmAttest.ParseCertify(evidence.CertifyInfo);
        }
        catch (TpmFormatException e)
        {
            throw new AttestationException($"certify: {e.Message}");
        }

        if (!CryptographicOperations.FixedTimeEquals(attest.ExtraData, nonce))
        {
            throw new AttestationException("certify: the qualifying data is not this enrolment's nonce (a replayed or foreign certify)");
        }

        byte[] keyName = key.ComputeName();
        if (!attest.CertifiedName.AsSpan().SequenceEqual(keyName))
        {
            throw new AttestationException("certify: the certified object is not the machine key whose public area was sent");
        }

        if (!VerifyDer(ak, attest.Raw, evidence.CertifySignature))
        {
            throw new AttestationException("certify: the signature does not verify with the AK");
        }

        EkVerdict verdict = EkCertificateChecker.Check(ek, evidence.EkCertificate, evidence.EkIntermediates, trust, now);
        return new VerifiedEvidence(ek, ak, ak.ComputeName(), key, verdict);
    }

    private static bool VerifyDer(TpmPublic signer, byte[] data, byte[] derSignature)
    {
        using var ecdsa = ECDsa.Create(signer.EcParameters());
        try
        {
            return ecdsa.VerifyData(data, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static TpmPublic Parse(byte[] tpmtPublic, string what)
    {
        try
        {
            return TpmPublic.Parse(tpmtPublic);
        }
        catch (TpmFormatException e)
        {
            throw new AttestationException($"{what}: {e.Message}");
        }
    }

    private static void CheckAk(TpmPublic ak)
    {
        if (ak.Type != TpmAlg.Ecc || ak.Curve != TpmAlg.CurveNistP256)
        {
            throw new AttestationException("the AK is not an ECC P-256 key");
        }

        if (!ak.Has(AkRequired) || ak.Has(TpmObjectAttributes.Decrypt))
        {
            throw new AttestationException("the AK's attributes are not those of a restricted signing key made in the TPM (fixedTPM, fixedParent, sensitiveDataOrigin, restricted, sign; not decrypt)");
        }

        if (ak.Scheme != TpmAlg.EcDsa || ak.SchemeHash != TpmAlg.Sha256 || ak.NameAlg is not (TpmAlg.Sha256 or TpmAlg.Sha384))
        {
            throw new AttestationException("the AK must sign with ECDSA over SHA-256 and be named with SHA-256 or SHA-384");
        }
    }

    private static void CheckKey(TpmPublic key, ReadOnlySpan<byte> proofX, ReadOnlySpan<byte> proofY)
    {
        if (key.Type != TpmAlg.Ecc || key.Curve != TpmAlg.CurveNistP256 || key.NameAlg != TpmAlg.Sha256)
        {
            throw new AttestationException("the machine key is not an ECC P-256 key named with SHA-256");
        }

        if (!key.Has(KeyRequired) || key.Has(TpmObjectAttributes.Restricted) || key.Has(TpmObjectAttributes.Decrypt))
        {
            throw new AttestationException("the machine key's attributes are not fixedTPM, fixedParent, sensitiveDataOrigin and sign (and neither restricted nor decrypt)");
        }

        if (!TpmPublic.PadLeft(key.EccX, 32).AsSpan().SequenceEqual(proofX) || !TpmPublic.PadLeft(key.EccY, 32).AsSpan().SequenceEqual(proofY))
        {
            throw new AttestationException("the certified machine key is not the key that signs this machine's proofs");
        }
    }
}
