using System.Security.Cryptography;

namespace Launcher.Attestation.Tpm;

/// <summary>
/// A parsed TPMT_PUBLIC (TCG TPM 2.0 Part 2, 12.2.4) of an RSA or ECC key, keeping the exact bytes it came from:
/// the object's name is computed over those bytes, so nothing is re-marshalled.
/// </summary>
public sealed class TpmPublic
{
    private const int MaxDigest = 64;
    private const int MaxRsaModulus = 512;
    private const int MaxEccCoordinate = 66;

    private TpmPublic(byte[] raw)
    {
        Raw = raw;
    }

    /// <summary>The marshalled TPMT_PUBLIC exactly as received.</summary>
    public byte[] Raw { get; }

    /// <summary>TPM_ALG_RSA or TPM_ALG_ECC.</summary>
    public ushort Type { get; private init; }

    /// <summary>The hash algorithm of the object's name (and of an EK's credential protection).</summary>
    public ushort NameAlg { get; private init; }

    /// <summary>TPMA_OBJECT.</summary>
    public TpmObjectAttributes Attributes { get; private init; }

    /// <summary>The policy digest that authorises use of the object (empty when none).</summary>
    public byte[] AuthPolicy { get; private init; } = [];

    /// <summary>The symmetric algorithm of a storage key (TPM_ALG_NULL for signing keys).</summary>
    public ushort SymmetricAlg { get; private init; }

    /// <summary>The symmetric key size in bits (0 when none).</summary>
    public ushort SymmetricKeyBits { get; private init; }

    /// <summary>The symmetric mode (TPM_ALG_CFB for storage keys).</summary>
    public ushort SymmetricMode { get; private init; }

    /// <summary>The signing or encryption scheme (TPM_ALG_NULL when none).</summary>
    public ushort Scheme { get; private init; }

    /// <summary>The scheme's hash algorithm (TPM_ALG_NULL when there is no scheme).</summary>
    public ushort SchemeHash { get; private init; }

    /// <summary>RSA: the key size in bits.</summary>
    public ushort RsaKeyBits { get; private init; }

    /// <summary>RSA: the public exponent (0 in the structure means 65537).</summary>
    public uint RsaExponent { get; private init; }

    /// <summary>RSA: the modulus.</summary>
    public byte[] RsaModulus { get; private init; } = [];

    /// <summary>ECC: the curve (TPM_ECC_CURVE).</summary>
    public ushort Curve { get; private init; }

    /// <summary>ECC: the x coordinate as the TPM marshalled it.</summary>
    public byte[] EccX { get; private init; } = [];

    /// <summary>ECC: the y coordinate as the TPM marshalled it.</summary>
    public byte[] EccY { get; private init; } = [];

    /// <summary>Whether every bit of <paramref name="attributes"/> is set.</summary>
    public bool Has(TpmObjectAttributes attributes) => (Attributes & attributes) == attributes;

    /// <summary>The object's name: the name algorithm, then the digest of the marshalled TPMT_PUBLIC.</summary>
    public byte[] ComputeName()
    {
        byte[] digest = TpmHash.Digest(NameAlg, Raw);
        var name = new byte[2 + digest.Length];
        name[0] = (byte)(NameAlg >> 8);
        name[1] = (byte)NameAlg;
        digest.CopyTo(name, 2);
        return name;
    }

    /// <summary>The size of the curve's coordinates in bytes.</summary>
    public int CurveSize => Curve switch
    {
        TpmAlg.CurveNistP256 => 32,
        TpmAlg.CurveNistP384 => 48,
        TpmAlg.CurveNistP521 => 66,
        _ => throw new TpmFormatException($"unsupported curve 0x{Curve:x4}"),
    };

    /// <summary>.NET's curve for an ECC key.</summary>
    public ECCurve EcCurve => Curve switch
    {
        TpmAlg.CurveNistP256 => ECCurve.NamedCurves.nistP256,
        TpmAlg.CurveNistP384 => ECCurve.NamedCurves.nistP384,
        TpmAlg.CurveNistP521 => ECCurve.NamedCurves.nistP521,
        _ => throw new TpmFormatException($"unsupported curve 0x{Curve:x4}"),
    };

    /// <summary>The ECC public point with coordinates left-padded to the curve size.</summary>
    public ECParameters EcParameters()
    {
        RequireType(TpmAlg.Ecc);
        int size = CurveSize;
        return new ECParameters
        {
            Curve = EcCurve,
            Q = new ECPoint { X = PadLeft(EccX, size), Y = PadLeft(EccY, size) },
        };
    }

    /// <summary>The RSA public parameters.</summary>
    public RSAParameters RsaParameters()
    {
        RequireType(TpmAlg.Rsa);
        uint exponent = RsaExponent == 0 ? 65537u : RsaExponent;
        byte[] e = [(byte)(exponent >> 24), (byte)(exponent >> 16), (byte)(exponent >> 8), (byte)exponent];
        int skip = 0;
        while (skip < 3 && e[skip] == 0)
        {
            skip++;
        }

        return new RSAParameters { Modulus = RsaModulus, Exponent = e[skip..] };
    }

    /// <summary>The DER SubjectPublicKeyInfo of the key, for comparison with a certificate's key.</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        if (Type == TpmAlg.Rsa)
        {
            using var rsa = RSA.Create(RsaParameters());
            return rsa.ExportSubjectPublicKeyInfo();
        }

        using var ecdsa = ECDsa.Create(EcParameters());
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Parses a TPM2B_PUBLIC (a uint16 size, then the TPMT_PUBLIC).</summary>
    public static TpmPublic ParseSized(ReadOnlySpan<byte> tpm2bPublic)
    {
        var reader = new TpmReader(tpm2bPublic);
        ReadOnlySpan<byte> inner = reader.ReadSized("TPM2B_PUBLIC", 4096);
        reader.ExpectEnd("TPM2B_PUBLIC");
        return Parse(inner);
    }

    /// <summary>Parses a marshalled TPMT_PUBLIC of an RSA or ECC key; nothing may follow it.</summary>
    public static TpmPublic Parse(ReadOnlySpan<byte> tpmtPublic)
    {
        var reader = new TpmReader(tpmtPublic);
        ushort type = reader.ReadUInt16("type");
        ushort nameAlg = reader.ReadUInt16("nameAlg");
        _ = TpmHash.Size(nameAlg);
        var attributes = (TpmObjectAttributes)reader.ReadUInt32("objectAttributes");
        byte[] authPolicy = reader.ReadSized("authPolicy", MaxDigest).ToArray();

        ushort symAlg = reader.ReadUInt16("symmetric.algorithm");
        ushort symBits = 0;
        ushort symMode = TpmAlg.Null;
        if (symAlg != TpmAlg.Null)
        {
            symBits = reader.ReadUInt16("symmetric.keyBits");
            symMode = reader.ReadUInt16("symmetric.mode");
        }

        ushort scheme = reader.ReadUInt16("scheme");
        ushort schemeHash = TpmAlg.Null;
        if (scheme != TpmAlg.Null)
        {
            schemeHash = reader.ReadUInt16("scheme.hashAlg");
            if (scheme == TpmAlg.EcDaa)
            {
                _ = reader.ReadUInt16("scheme.count");
            }
        }

        TpmPublic result;
        switch (type)
        {
            case TpmAlg.Rsa:
            {
                ushort keyBits = reader.ReadUInt16("rsa.keyBits");
                uint exponent = reader.ReadUInt32("rsa.exponent");
                byte[] modulus = reader.ReadSized("rsa.unique", MaxRsaModulus).ToArray();
                if (modulus.Length * 8 != keyBits)
                {
                    throw new TpmFormatException($"rsa.unique: {modulus.Length * 8}-bit modulus for a {keyBits}-bit key");
                }

                result = new TpmPublic(tpmtPublic[..reader.Position].ToArray())
                {
                    RsaKeyBits = keyBits,
                    RsaExponent = exponent,
                    RsaModulus = modulus,
                    Type = type,
                    NameAlg = nameAlg,
                    Attributes = attributes,
                    AuthPolicy = authPolicy,
                    SymmetricAlg = symAlg,
                    SymmetricKeyBits = symBits,
                    SymmetricMode = symMode,
                    Scheme = scheme,
                    SchemeHash = schemeHash,
                };
                break;
            }

            case TpmAlg.Ecc:
            {
                ushort curve = reader.ReadUInt16("ecc.curveID");
                ushort kdf = reader.ReadUInt16("ecc.kdf");
                if (kdf != TpmAlg.Null)
                {
                    _ = reader.ReadUInt16("ecc.kdf.hashAlg");
                }

                byte[] x = reader.ReadSized("ecc.unique.x", MaxEccCoordinate).ToArray();
                byte[] y = reader.ReadSized("ecc.unique.y", MaxEccCoordinate).ToArray();
                result = new TpmPublic(tpmtPublic[..reader.Position].ToArray())
                {
                    Curve = curve,
                    EccX = x,
                    EccY = y,
                    Type = type,
                    NameAlg = nameAlg,
                    Attributes = attributes,
                    AuthPolicy = authPolicy,
                    SymmetricAlg = symAlg,
                    SymmetricKeyBits = symBits,
                    SymmetricMode = symMode,
                    Scheme = scheme,
                    SchemeHash = schemeHash,
                };
                _ = result.CurveSize;
                if (x.Length > result.CurveSize || y.Length > result.CurveSize)
                {
                    throw new TpmFormatException("ecc.unique: a coordinate is longer than the curve");
                }

                RequireOnCurve(result);

                break;
            }

            default:
                throw new TpmFormatException($"type 0x{type:x4}: only RSA and ECC keys are accepted");
        }

        reader.ExpectEnd("TPMT_PUBLIC");
        return result;
    }

    private static void RequireOnCurve(TpmPublic key)
    {
        try
        {
            using var ecdsa = ECDsa.Create(key.EcParameters());
        }
        catch (CryptographicException)
        {
            throw new TpmFormatException("ecc.unique: the point is not on the curve");
        }
    }

    private void RequireType(ushort type)
    {
        if (Type != type)
        {
            throw new InvalidOperationException($"The key is of type 0x{Type:x4}, not 0x{type:x4}.");
        }
    }

    internal static byte[] PadLeft(byte[] value, int size)
    {
        if (value.Length == size)
        {
            return value;
        }

        var padded = new byte[size];
        value.CopyTo(padded, size - value.Length);
        return padded;
    }
}
