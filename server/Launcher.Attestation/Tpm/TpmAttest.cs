using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Tpm;

/// <summary>
/// A parsed TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY (TCG TPM 2.0 Part 2, 10.12): what TPM2_Certify signed. The
/// clock and firmware fields are read past but not exposed: a verifier must not rely on them.
/// </summary>
public sealed class TpmAttest
{
    /// <summary>TPM_GENERATED_VALUE: every structure the TPM signs starts with it.</summary>
    public const uint GeneratedMagic = 0xff544347;

    /// <summary>TPM_ST_ATTEST_CERTIFY.</summary>
    public const ushort CertifyType = 0x8017;

    private const int MaxName = 2 + 64;
    private const int MaxData = 64;

    private TpmAttest(byte[] raw, byte[] qualifiedSigner, byte[] extraData, byte[] certifiedName, byte[] certifiedQualifiedName)
    {
        Raw = raw;
        QualifiedSigner = qualifiedSigner;
        ExtraData = extraData;
        CertifiedName = certifiedName;
        CertifiedQualifiedName = certifiedQualifiedName;
    }

    /// <summary>The marshalled TPMS_ATTEST exactly as received (what the signature covers).</summary>
    public byte[] Raw { get; }

    /// <summary>The qualified name of the signing key.</summary>
    public byte[] QualifiedSigner { get; }

    /// <summary>The caller's qualifying data: the verifier's nonce.</summary>
    public byte[] ExtraData { get; }

    /// <summary>The name of the certified object.</summary>
    public byte[] CertifiedName { get; }

    /// <summary>The qualified name of the certified object.</summary>
    public byte[] CertifiedQualifiedName { get; }

    /// <summary>Parses a TPMS_ATTEST; refuses anything but a certify structure made by a TPM.</summary>
    public static TpmAttest ParseCertify(ReadOnlySpan<byte> attest)
    {
        var reader = new TpmReader(attest);
        uint magic = reader.ReadUInt32("magic");
        if (magic != GeneratedMagic)
        {
            throw new TpmFormatException($"magic 0x{magic:x8} is not TPM_GENERATED_VALUE: the TPM did not make this structure");
        }

        ushort type = reader.ReadUInt16("type");
        if (type != CertifyType)
        {
            throw new TpmFormatException($"type 0x{type:x4} is not TPM_ST_ATTEST_CERTIFY");
        }

        byte[] signer = reader.ReadSized("qualifiedSigner", MaxName).ToArray();
        byte[] extraData = reader.ReadSized("extraData", MaxData).ToArray();
        _ = reader.Take(8 + 4 + 4 + 1, "clockInfo");
        _ = reader.ReadUInt64("firmwareVersion");
        byte[] name = reader.ReadSized("attested.name", MaxName).ToArray();
        byte[] qualifiedName = reader.ReadSized("attested.qualifiedName", MaxName).ToArray();
        reader.ExpectEnd("TPMS_ATTEST");
        return new TpmAttest(attest.ToArray(), signer, extraData, name, qualifiedName);
    }
}
