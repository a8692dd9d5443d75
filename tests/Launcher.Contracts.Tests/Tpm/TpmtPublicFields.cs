using System.Buffers.Binary;
using System.Security.Cryptography;
using Launcher.Contracts.Tpm;

namespace Launcher.Contracts.Tests.Tpm;

/// <summary>
/// The fields of a TPMT_PUBLIC, marshalled as a TPM would, for tests; the defaults are the daemon's attestation key
/// template (ECC P-256, nameAlg SHA-256, attributes 0x00050472, no policy, no symmetric, ECDSA/SHA-256, no KDF).
/// </summary>
public sealed record TpmtPublicFields
{
    public ushort Type { get; init; } = TpmAlg.Ecc;

    public ushort NameAlg { get; init; } = TpmAlg.Sha256;

    public uint Attributes { get; init; } = 0x00050472;

    public byte[] AuthPolicy { get; init; } = [];

    /// <summary>Symmetric algorithm, then (when not NULL) key bits and mode.</summary>
    public ushort[] Symmetric { get; init; } = [TpmAlg.Null];

    /// <summary>Scheme, then its details (hash; and count for ECDAA).</summary>
    public ushort[] Scheme { get; init; } = [TpmAlg.EcDsa, TpmAlg.Sha256];

    public ushort Curve { get; init; } = TpmAlg.CurveNistP256;

    /// <summary>KDF, then (when not NULL) its hash.</summary>
    public ushort[] Kdf { get; init; } = [TpmAlg.Null];

    public byte[] X { get; init; } = [];

    public byte[] Y { get; init; } = [];

    public ushort RsaKeyBits { get; init; }

    public uint RsaExponent { get; init; }

    public byte[] RsaModulus { get; init; } = [];

    public static TpmtPublicFields Ecc(ECParameters key) => new() { X = key.Q.X!, Y = key.Q.Y! };

    public static TpmtPublicFields Rsa(RSAParameters key) => new()
    {
        Type = TpmAlg.Rsa,
        Attributes = 0x000300B2, // the TCG default EK: fixedTPM|fixedParent|sensitiveDataOrigin|adminWithPolicy|restricted|decrypt
        AuthPolicy = new byte[32],
        Symmetric = [TpmAlg.Aes, 128, TpmAlg.Cfb],
        Scheme = [TpmAlg.Null],
        RsaKeyBits = (ushort)(key.Modulus!.Length * 8),
        RsaModulus = key.Modulus,
    };

    public byte[] Marshal()
    {
        var w = new List<byte>();
        U16(w, Type);
        U16(w, NameAlg);
        U32(w, Attributes);
        Sized(w, AuthPolicy);
        Symmetric.ToList().ForEach(v => U16(w, v));
        Scheme.ToList().ForEach(v => U16(w, v));
        if (Type == TpmAlg.Rsa)
        {
            U16(w, RsaKeyBits);
            U32(w, RsaExponent);
            Sized(w, RsaModulus);
        }
        else
        {
            U16(w, Curve);
            Kdf.ToList().ForEach(v => U16(w, v));
            Sized(w, X);
            Sized(w, Y);
        }

        return [.. w];
    }

    /// <summary>The TPM2B_PUBLIC: a uint16 size, then <see cref="Marshal"/>.</summary>
    public byte[] MarshalSized()
    {
        var w = new List<byte>();
        Sized(w, Marshal());
        return [.. w];
    }

    private static void U16(List<byte> w, ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        w.AddRange(b);
    }

    private static void U32(List<byte> w, uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        w.AddRange(b);
    }

    private static void Sized(List<byte> w, byte[] v)
    {
        U16(w, (ushort)v.Length);
        w.AddRange(v);
    }
}
