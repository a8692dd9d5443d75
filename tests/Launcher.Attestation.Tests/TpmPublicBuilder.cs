using System.Buffers.Binary;
using System.Security.Cryptography;
using Launcher.Attestation.Tpm;

using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>Marshals TPMT_PUBLIC / TPM2B_PUBLIC areas for software keys, as a TPM would, for tests.</summary>
internal static class TpmPublicBuilder
{
    // The TCG default EK attributes: fixedTPM|fixedParent|sensitiveDataOrigin|adminWithPolicy|restricted|decrypt.
    public const TpmObjectAttributes EkAttributes = TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent
        | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.AdminWithPolicy | TpmObjectAttributes.Restricted
        | TpmObjectAttributes.Decrypt;

    public const TpmObjectAttributes AkAttributes = TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent
        | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.UserWithAuth | TpmObjectAttributes.NoDa
        | TpmObjectAttributes.Restricted | TpmObjectAttributes.Sign;

    public const TpmObjectAttributes MachineKeyAttributes = TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent
        | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.UserWithAuth | TpmObjectAttributes.NoDa
        | TpmObjectAttributes.Sign;

    public static byte[] RsaEk(RSA rsa)
    {
        RSAParameters p = rsa.ExportParameters(false);
        var w = new List<byte>();
        U16(w, TpmAlg.Rsa);
        U16(w, TpmAlg.Sha256);
        U32(w, (uint)EkAttributes);
        Sized(w, new byte[32]);
        U16(w, TpmAlg.Aes);
        U16(w, 128);
        U16(w, TpmAlg.Cfb);
        U16(w, TpmAlg.Null);
        U16(w, (ushort)(p.Modulus!.Length * 8));
        U32(w, 0);
        Sized(w, p.Modulus);
        return Sized(w);
    }

    public static byte[] EccEk(ECDiffieHellman ecdh)
    {
        ECParameters p = ecdh.ExportParameters(false);
        bool p384 = p.Q.X!.Length == 48;
        var w = new List<byte>();
        U16(w, TpmAlg.Ecc);
        U16(w, p384 ? TpmAlg.Sha384 : TpmAlg.Sha256);
        U32(w, (uint)EkAttributes);
        Sized(w, new byte[p384 ? 48 : 32]);
        U16(w, TpmAlg.Aes);
        U16(w, (ushort)(p384 ? 256 : 128));
        U16(w, TpmAlg.Cfb);
        U16(w, TpmAlg.Null);
        U16(w, p384 ? TpmAlg.CurveNistP384 : TpmAlg.CurveNistP256);
        U16(w, TpmAlg.Null);
        Sized(w, p.Q.X);
        Sized(w, p.Q.Y!);
        return Sized(w);
    }

    public static byte[] EccSigningKey(ECDsa key, TpmObjectAttributes attributes, bool restricted)
    {
        ECParameters p = key.ExportParameters(false);
        var w = new List<byte>();
        U16(w, TpmAlg.Ecc);
        U16(w, TpmAlg.Sha256);
        U32(w, (uint)attributes);
        Sized(w, []);
        U16(w, TpmAlg.Null);
        if (restricted)
        {
            U16(w, TpmAlg.EcDsa);
            U16(w, TpmAlg.Sha256);
        }
        else
        {
            U16(w, TpmAlg.Null);
        }

        U16(w, TpmAlg.CurveNistP256);
        U16(w, TpmAlg.Null);
        Sized(w, p.Q.X!);
        Sized(w, p.Q.Y!);
        return Sized(w);
    }

    /// <summary>A TPMS_ATTEST of a certify, as a TPM would marshal it.</summary>
    public static byte[] CertifyInfo(byte[] signerName, byte[] nonce, byte[] certifiedName, uint magic = TpmAttest.GeneratedMagic, ushort type = TpmAttest.CertifyType)
    {
        var w = new List<byte>();
        U32(w, magic);
        U16(w, type);
        Sized(w, signerName);
        Sized(w, nonce);
        w.AddRange(new byte[17]);
        w.AddRange(new byte[8]);
        Sized(w, certifiedName);
        Sized(w, certifiedName);
        return [.. w];
    }

    /// <summary>A TPMT_SIGNATURE (ECDSA, SHA-256) of <paramref name="data"/> by <paramref name="signer"/>.</summary>
    public static byte[] Signature(ECDsa signer, byte[] data)
    {
        byte[] rs = signer.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var w = new List<byte>();
        U16(w, TpmAlg.EcDsa);
        U16(w, TpmAlg.Sha256);
        Sized(w, rs[..32]);
        Sized(w, rs[32..]);
        return [.. w];
    }

    /// <summary>The TPMT_PUBLIC inside a TPM2B_PUBLIC.</summary>
    public static byte[] Inner(byte[] tpm2b) => tpm2b[2..];

    private static void U16(List<byte> w, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        w.AddRange(b.ToArray());
    }

    private static void U32(List<byte> w, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        w.AddRange(b.ToArray());
    }

    private static void Sized(List<byte> w, byte[] v)
    {
        U16(w, (ushort)v.Length);
        w.AddRange(v);
    }

    private static byte[] Sized(List<byte> inner)
    {
        var w = new List<byte>();
        Sized(w, [.. inner]);
        return [.. w];
    }
}
