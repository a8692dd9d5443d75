using System.Security.Cryptography;
using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Tpm;

/// <summary>A parsed TPMT_SIGNATURE of an ECDSA key (the only scheme an attestation key here may use).</summary>
public sealed class TpmSignature
{
    private TpmSignature(ushort hashAlg, byte[] r, byte[] s)
    {
        HashAlg = hashAlg;
        R = r;
        S = s;
    }

    /// <summary>The hash the TPM signed with.</summary>
    public ushort HashAlg { get; }

    /// <summary>ECDSA r, as marshalled.</summary>
    public byte[] R { get; }

    /// <summary>ECDSA s, as marshalled.</summary>
    public byte[] S { get; }

    /// <summary>Parses a TPMT_SIGNATURE; refuses any scheme but ECDSA.</summary>
    public static TpmSignature Parse(ReadOnlySpan<byte> signature)
    {
        var reader = new TpmReader(signature);
        ushort sigAlg = reader.ReadUInt16("sigAlg");
        if (sigAlg != TpmAlg.EcDsa)
        {
            throw new TpmFormatException($"sigAlg 0x{sigAlg:x4}: only ECDSA signatures are accepted");
        }

        ushort hash = reader.ReadUInt16("signature.hash");
        _ = TpmHash.Size(hash);
        byte[] r = reader.ReadSized("signature.r", 66).ToArray();
        byte[] s = reader.ReadSized("signature.s", 66).ToArray();
        reader.ExpectEnd("TPMT_SIGNATURE");
        return new TpmSignature(hash, r, s);
    }

    /// <summary>The signature as DER (SEQUENCE { INTEGER r, INTEGER s }), the form the daemon's shim returns.</summary>
    public byte[] ToDer()
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(R));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(S));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(byte[] value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value.AsSpan(start);
    }

    /// <summary>Whether this signature over <paramref name="data"/> verifies with the ECC key <paramref name="signer"/>.</summary>
    public bool Verify(TpmPublic signer, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(signer);
        int size = signer.CurveSize;
        if (R.Length > size || S.Length > size)
        {
            return false;
        }

        var rs = new byte[2 * size];
        R.CopyTo(rs, size - R.Length);
        S.CopyTo(rs, (2 * size) - S.Length);
        using var ecdsa = ECDsa.Create(signer.EcParameters());
        return ecdsa.VerifyData(data, rs, TpmHash.Name(HashAlg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
