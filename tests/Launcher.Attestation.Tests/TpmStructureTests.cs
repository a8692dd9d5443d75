using System.Security.Cryptography;
using Launcher.Attestation.Tpm;
using Launcher.Attestation.Verification;
using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>
/// The attestation structures only the fleet server parses (TPMS_ATTEST, TPMT_SIGNATURE) and the verifier over them.
/// The TPMT_PUBLIC parser's own tests are in Launcher.Contracts.Tests (Tpm/TpmPublicTests).
/// </summary>
public sealed class TpmStructureTests
{
    [Fact]
    public void Parse_RandomBytes_NeverThrowsAnythingButFormatErrors()
    {
        var random = new Random(1234);
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            try
            {
                TpmPublic.Parse(bytes);
                TpmAttest.ParseCertify(bytes);
                TpmSignature.Parse(bytes);
            }
            catch (TpmFormatException)
            {
            }
        }
    }

    [Fact]
    public void ParseCertify_NotMadeByATpm_IsRefused()
    {
        byte[] forged = TpmPublicBuilder.CertifyInfo(new byte[34], [1, 2, 3], new byte[34], magic: 0x12345678);

        var error = Assert.Throws<TpmFormatException>(() => TpmAttest.ParseCertify(forged));
        Assert.Contains("TPM_GENERATED_VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCertify_QuoteInsteadOfCertify_IsRefused()
    {
        byte[] quote = TpmPublicBuilder.CertifyInfo(new byte[34], [1, 2, 3], new byte[34], type: 0x8018);

        var error = Assert.Throws<TpmFormatException>(() => TpmAttest.ParseCertify(quote));
        Assert.Contains("TPM_ST_ATTEST_CERTIFY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SoftwareKeyClaimingTpmWithSelfMadeEvidence_GetsNoVerifiedLevel()
    {
        // A software "TPM": every structure made and signed in software, with a software EK and no certificate. The
        // structures are consistent, so only the EK trust decides, and nothing vouches for this EK.
        using var ek = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var ak = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var machine = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] akPublic = TpmPublicBuilder.EccSigningKey(ak, TpmPublicBuilder.AkAttributes, restricted: true);
        byte[] keyPublic = TpmPublicBuilder.EccSigningKey(machine, TpmPublicBuilder.MachineKeyAttributes, restricted: false);
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        byte[] certify = TpmPublicBuilder.CertifyInfo(TpmPublic.ParseSized(akPublic).ComputeName(), nonce, TpmPublic.ParseSized(keyPublic).ComputeName());
        var evidence = new TpmEvidence
        {
            EkPublic = TpmPublicBuilder.Inner(TpmPublicBuilder.EccEk(ek)),
            AkPublic = TpmPublicBuilder.Inner(akPublic),
            KeyPublic = TpmPublicBuilder.Inner(keyPublic),
            CertifyInfo = certify,
            CertifySignature = TpmSignature.Parse(TpmPublicBuilder.Signature(ak, certify)).ToDer(),
        };
        ECParameters p = machine.ExportParameters(false);

        VerifiedEvidence verified = TpmEvidenceVerifier.Verify(evidence, nonce, p.Q.X, p.Q.Y, TpmTrust.None, DateTimeOffset.UtcNow);

        Assert.Equal(AttestationLevels.TpmUnverified, verified.EkVerdict.Level);
    }
}
