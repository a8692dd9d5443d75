using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Attestation.Credentials;
using Launcher.Attestation.Tpm;
using Launcher.Attestation.Verification;
using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>The server side checked against what a real TPM (swtpm with an EK certificate from a test CA) produces.</summary>
public sealed class SwtpmAttestationTests : IClassFixture<SwtpmWithEk>
{
    private readonly SwtpmWithEk _tpm;

    public SwtpmAttestationTests(SwtpmWithEk tpm)
    {
        _tpm = tpm;
    }

    [SwtpmFact]
    public async Task Make_ForTheRsaEk_IsActivatedByTheTpm()
    {
        // Arrange
        TpmPublic ek = TpmPublic.ParseSized(_tpm.Read("ek-rsa.pub"));
        byte[] secret = RandomNumberGenerator.GetBytes(32);

        // Act: the server makes the credential; the TPM activates it with the EK authorised by PolicySecret(endorsement).
        MadeCredential made = CredentialMaker.Make(ek, _tpm.Read("ak.name"), secret);
        await File.WriteAllBytesAsync(_tpm.PathOf("made-rsa.cred"), ToolsCredentialFile(made));
        await _tpm.ToolAsync("tpm2_startauthsession", "--policy-session", "-S", "session.ctx");
        await _tpm.ToolAsync("tpm2_policysecret", "-S", "session.ctx", "-c", "e");
        await _tpm.ToolAsync("tpm2_activatecredential", "-c", "ak.ctx", "-C", SwtpmWithEk.RsaEk, "-i", "made-rsa.cred", "-o", "activated-rsa.bin", "-P", "session:session.ctx");
        await _tpm.ToolAsync("tpm2_flushcontext", "session.ctx");

        // Assert
        Assert.Equal(secret, _tpm.Read("activated-rsa.bin"));
    }

    [SwtpmFact]
    public async Task Make_ForTheP384Ek_IsActivatedByTheTpm()
    {
        // Arrange: the P-384 EK is named with SHA-384 and protects with AES-256; its template allows plain auth.
        TpmPublic ek = TpmPublic.ParseSized(_tpm.Read("ek-p384.pub"));
        Assert.Equal(TpmAlg.Sha384, ek.NameAlg);
        Assert.Equal(256, ek.SymmetricKeyBits);
        byte[] secret = RandomNumberGenerator.GetBytes(32);

        // Act
        MadeCredential made = CredentialMaker.Make(ek, _tpm.Read("ak384.name"), secret);
        await File.WriteAllBytesAsync(_tpm.PathOf("made-p384.cred"), ToolsCredentialFile(made));
        await _tpm.ToolAsync("tpm2_activatecredential", "-c", "ak384.ctx", "-C", SwtpmWithEk.P384Ek, "-i", "made-p384.cred", "-o", "activated-p384.bin");

        // Assert
        Assert.Equal(secret, _tpm.Read("activated-p384.bin"));
    }

    [SwtpmFact]
    public async Task Make_ForAnotherAkName_IsRefusedByTheTpm()
    {
        TpmPublic ek = TpmPublic.ParseSized(_tpm.Read("ek-p384.pub"));
        MadeCredential made = CredentialMaker.Make(ek, _tpm.Read("ak.name"), RandomNumberGenerator.GetBytes(32));
        await File.WriteAllBytesAsync(_tpm.PathOf("wrong-name.cred"), ToolsCredentialFile(made));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _tpm.ToolAsync("tpm2_activatecredential", "-c", "ak384.ctx", "-C", SwtpmWithEk.P384Ek, "-i", "wrong-name.cred", "-o", "never.bin"));
    }

    [SwtpmFact]
    public void Verify_TpmEvidenceWithTheTestCaTrusted_IsEkVerifiedWithTheMaker()
    {
        // Act
        VerifiedEvidence verified = Verify(Evidence(), TrustTestCa());

        // Assert
        Assert.Equal(AttestationLevels.TpmEkVerified, verified.EkVerdict.Level);
        Assert.Equal("id:00001014", verified.EkVerdict.Maker);
        Assert.StartsWith("swtpm", verified.EkVerdict.Model, StringComparison.Ordinal);
        Assert.Null(verified.EkVerdict.Reason);
        Assert.Equal(_tpm.Read("ak.name"), verified.AkName);
    }

    [SwtpmFact]
    public void Verify_EkCertificateFromAnUntrustedCa_IsUnverifiedWithTheReason()
    {
        using X509Certificate2 otherRoot = SelfSignedRoot("CN=Not a TPM maker");

        VerifiedEvidence verified = Verify(Evidence(), new TpmTrust([otherRoot], []));

        Assert.Equal(AttestationLevels.TpmUnverified, verified.EkVerdict.Level);
        Assert.Contains("does not chain", verified.EkVerdict.Reason, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_NoRootsConfigured_IsNeverVerified()
    {
        VerifiedEvidence verified = Verify(Evidence(), TpmTrust.None);

        Assert.Equal(AttestationLevels.TpmUnverified, verified.EkVerdict.Level);
        Assert.Contains("no TPM maker roots", verified.EkVerdict.Reason, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_NoCertificateButAllowListedEk_IsAllowlisted()
    {
        TpmPublic ek = TpmPublic.ParseSized(_tpm.Read("ek-rsa.pub"));
        string fingerprint = TpmTrust.EkFingerprint(ek.ExportSubjectPublicKeyInfo());

        VerifiedEvidence verified = Verify(Evidence() with { EkCertificate = null }, new TpmTrust([], [fingerprint.ToUpperInvariant()]));

        Assert.Equal(AttestationLevels.TpmEkAllowlisted, verified.EkVerdict.Level);
        Assert.Equal(fingerprint, verified.EkVerdict.EkFingerprint);
    }

    [SwtpmFact]
    public void Verify_EkCertificateOfAnotherKey_IsRefused()
    {
        // The P-384 EK's certificate presented with the RSA EK: a certificate that does not match the EK.
        TpmEvidence evidence = Evidence() with { EkCertificate = _tpm.Read("ek-p384.crt") };

        var error = Assert.Throws<AttestationException>(() => Verify(evidence, TrustTestCa()));
        Assert.Contains("another key", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_CertifyFromAnotherEnrolment_IsRefused()
    {
        var error = Assert.Throws<AttestationException>(() =>
            TpmEvidenceVerifier.Verify(Evidence(), RandomNumberGenerator.GetBytes(32), KeyX(), KeyY(), TrustTestCa(), DateTimeOffset.UtcNow));
        Assert.Contains("nonce", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_ProofsSignedByAnotherKey_IsRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = other.ExportParameters(false);

        var error = Assert.Throws<AttestationException>(() =>
            TpmEvidenceVerifier.Verify(Evidence(), SwtpmWithEk.ToolsCertifyNonce, p.Q.X, p.Q.Y, TrustTestCa(), DateTimeOffset.UtcNow));
        Assert.Contains("not the key that signs", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_CertifyOfADifferentKeyThanThePublicAreaSent_IsRefused()
    {
        // A software key with the machine key's attributes, presented as "the" key with its own jwk: the certify
        // from the TPM names another object.
        using var software = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] softwarePublic = TpmPublicBuilder.Inner(TpmPublicBuilder.EccSigningKey(software, TpmPublicBuilder.MachineKeyAttributes, restricted: false));
        ECParameters p = software.ExportParameters(false);

        var error = Assert.Throws<AttestationException>(() =>
            TpmEvidenceVerifier.Verify(Evidence() with { KeyPublic = softwarePublic }, SwtpmWithEk.ToolsCertifyNonce, p.Q.X, p.Q.Y, TrustTestCa(), DateTimeOffset.UtcNow));
        Assert.Contains("certified object", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_TamperedAkPublicArea_IsRefused()
    {
        // One bit of y flipped: the point leaves the curve.
        byte[] ak = TpmPublicBuilder.Inner(_tpm.Read("ak.pub"));
        ak[^1] ^= 0x01;

        var error = Assert.Throws<AttestationException>(() => Verify(Evidence() with { AkPublic = ak }, TrustTestCa()));
        Assert.Contains("not on the curve", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_AkReplacedByAnotherValidKey_FailsTheSignature()
    {
        // A well-formed AK public area of another key, with the real AK's attributes: the certify signature fails.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] ak = TpmPublicBuilder.Inner(TpmPublicBuilder.EccSigningKey(other, TpmPublicBuilder.AkAttributes, restricted: true));

        var error = Assert.Throws<AttestationException>(() => Verify(Evidence() with { AkPublic = ak }, TrustTestCa()));
        Assert.Contains("signature does not verify", error.Message, StringComparison.Ordinal);
    }

    [SwtpmFact]
    public void Verify_AkWithoutRestricted_IsRefused()
    {
        byte[] ak = TpmPublicBuilder.Inner(_tpm.Read("ak.pub"));
        uint attributes = BinaryPrimitives.ReadUInt32BigEndian(ak.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(ak.AsSpan(4), attributes & ~(uint)TpmObjectAttributes.Restricted);

        var error = Assert.Throws<AttestationException>(() => Verify(Evidence() with { AkPublic = ak }, TrustTestCa()));
        Assert.Contains("restricted signing key", error.Message, StringComparison.Ordinal);
    }

    private VerifiedEvidence Verify(TpmEvidence evidence, TpmTrust trust) =>
        TpmEvidenceVerifier.Verify(evidence, SwtpmWithEk.ToolsCertifyNonce, KeyX(), KeyY(), trust, DateTimeOffset.UtcNow);

    // tpm2-tools writes public areas as TPM2B_PUBLIC and signatures as TPMT_SIGNATURE; the daemon's shim sends
    // TPMT_PUBLIC and DER, so the test converts.
    private TpmEvidence Evidence() => new()
    {
        EkPublic = TpmPublicBuilder.Inner(_tpm.Read("ek-rsa.pub")),
        EkCertificate = _tpm.Read("ek-rsa.crt"),
        AkPublic = TpmPublicBuilder.Inner(_tpm.Read("ak.pub")),
        KeyPublic = TpmPublicBuilder.Inner(_tpm.Read("key.pub")),
        CertifyInfo = _tpm.Read("attest.out"),
        CertifySignature = TpmSignature.Parse(_tpm.Read("sig.out")).ToDer(),
    };

    private byte[] KeyX() => TpmPublic.ParseSized(_tpm.Read("key.pub")).EcParameters().Q.X!;

    private byte[] KeyY() => TpmPublic.ParseSized(_tpm.Read("key.pub")).EcParameters().Q.Y!;

    private TpmTrust TrustTestCa() => TpmTrust.Load(_tpm.LocalCa, null);

    internal static X509Certificate2 SelfSignedRoot(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The file tpm2_activatecredential reads: 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET.</summary>
    private static byte[] ToolsCredentialFile(MadeCredential made) =>
        [0xBA, 0xDC, 0xC0, 0xDE, 0, 0, 0, 1, .. made.CredentialBlob, .. made.EncryptedSecret];
}
