using System.Security.Cryptography;

namespace Launcher.Contracts.Tpm;

/// <summary>
/// A parsed TPMT_PUBLIC (TCG TPM 2.0 Part 2, 12.2.4) of an RSA or ECC key, keeping the exact bytes it came from:
/// the object's name is computed over those bytes, so nothing is re-marshalled. The one parser of the structure: the
/// daemon reads the EK, AK and certified key areas its TPM returns with it, and the fleet server the same areas in
/// enrolment evidence. Parsing is strict: every byte is consumed, every algorithm and curve must be one
/// <see cref="TpmAlg"/> names and fit the key type, sizes are bounded (<see cref="TpmLimits"/>) and consistent
/// (authPolicy empty or a nameAlg digest, the modulus as long as keyBits says, an ECC point on its curve).
/// </summary>
public sealed class TpmPublic
{
    private TpmPublic(byte[] raw)
    {
        Raw = raw;
    }

    /// <summary>The marshalled TPMT_PUBLIC exactly as received.</summary>
    public byte[] Raw { get; }

    /// <summary>TPM_ALG_RSA or TPM_ALG_ECC.</summary>
    public ushort Type { get; private init; }

    /// <summary>The hash algorithm of the object's name (and of an EK's credential protection): SHA-256, SHA-384 or
    /// SHA-512.</summary>
    public ushort NameAlg { get; private init; }

    /// <summary>TPMA_OBJECT.</summary>
    public TpmObjectAttributes Attributes { get; private init; }

    /// <summary>The policy digest that authorises use of the object (empty when none).</summary>
    public byte[] AuthPolicy { get; private init; } = [];

    /// <summary>The symmetric algorithm of a storage key (TPM_ALG_NULL for signing keys).</summary>
    public ushort SymmetricAlg { get; private init; }

    /// <summary>The symmetric key size in bits (0 when none).</summary>
    public ushort SymmetricKeyBits { get; private init; }

    /// <summary>The symmetric mode (TPM_ALG_CFB for storage keys; TPM_ALG_NULL when none).</summary>
    public ushort SymmetricMode { get; private init; }

    /// <summary>The signing or encryption scheme (TPM_ALG_NULL when none).</summary>
    public ushort Scheme { get; private init; }

    /// <summary>The scheme's hash algorithm (TPM_ALG_NULL when the scheme has none).</summary>
    public ushort SchemeHash { get; private init; }

    /// <summary>The scheme's count (ECDAA only; 0 otherwise).</summary>
    public ushort SchemeCount { get; private init; }

    /// <summary>ECC: the key derivation function (TPM_ALG_NULL when none); RSA: TPM_ALG_NULL.</summary>
    public ushort Kdf { get; private init; } = TpmAlg.Null;

    /// <summary>ECC: the KDF's hash algorithm (TPM_ALG_NULL when there is no KDF); RSA: TPM_ALG_NULL.</summary>
    public ushort KdfHash { get; private init; } = TpmAlg.Null;

    /// <summary>RSA: the key size in bits; ECC: 0.</summary>
    public ushort RsaKeyBits { get; private init; }

    /// <summary>RSA: the public exponent as marshalled (0 means 65537; <see cref="RsaParameters"/> resolves it).</summary>
    public uint RsaExponent { get; private init; }

    /// <summary>RSA: the modulus; ECC: empty.</summary>
    public byte[] RsaModulus { get; private init; } = [];

    /// <summary>ECC: the curve (TPM_ECC_CURVE); RSA: 0.</summary>
    public ushort Curve { get; private init; }

    /// <summary>ECC: the x coordinate as the TPM marshalled it (possibly shorter than the curve size).</summary>
    public byte[] EccX { get; private init; } = [];

    /// <summary>ECC: the y coordinate as the TPM marshalled it (possibly shorter than the curve size).</summary>
    public byte[] EccY { get; private init; } = [];

    /// <summary>Whether every bit of <paramref name="attributes"/> is set.</summary>
    public bool Has(TpmObjectAttributes attributes) => (Attributes & attributes) == attributes;

    /// <summary>The object's name: BE16(nameAlg), then the nameAlg digest of the marshalled TPMT_PUBLIC.</summary>
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
    /// <exception cref="TpmFormatException">The curve is not NIST P-256, P-384 or P-521.</exception>
    public int CurveSize => CurveSizeOf(Curve);

    /// <summary>.NET's curve for an ECC key.</summary>
    /// <exception cref="TpmFormatException">The curve is not NIST P-256, P-384 or P-521.</exception>
    public ECCurve EcCurve => Curve switch
    {
        TpmAlg.CurveNistP256 => ECCurve.NamedCurves.nistP256,
        TpmAlg.CurveNistP384 => ECCurve.NamedCurves.nistP384,
        TpmAlg.CurveNistP521 => ECCurve.NamedCurves.nistP521,
        _ => throw new TpmFormatException($"unsupported curve 0x{Curve:x4}"),
    };

    /// <summary>The ECC public point with coordinates left-padded to the curve size.</summary>
    /// <exception cref="TpmFormatException">The key is not an ECC key.</exception>
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

    /// <summary>The ECC public point as an uncompressed SEC1 point: 0x04 || X || Y, each left-padded to the curve
    /// size (65 bytes for P-256).</summary>
    /// <exception cref="TpmFormatException">The key is not an ECC key.</exception>
    public byte[] EccPointSec1()
    {
        RequireType(TpmAlg.Ecc);
        int size = CurveSize;
        return [0x04, .. PadLeft(EccX, size), .. PadLeft(EccY, size)];
    }

    /// <summary>The RSA public parameters (an exponent of 0 in the structure becomes 65537).</summary>
    /// <exception cref="TpmFormatException">The key is not an RSA key.</exception>
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

    /// <summary>The DER SubjectPublicKeyInfo of the key (rsaEncryption, or id-ecPublicKey with the named curve), for
    /// comparison with a certificate's key.</summary>
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

    /// <summary>Parses a TPM2B_PUBLIC (a uint16 size, then the TPMT_PUBLIC); nothing may follow it.</summary>
    /// <exception cref="TpmFormatException">The structure is malformed or uses what the parser refuses.</exception>
    public static TpmPublic ParseSized(ReadOnlySpan<byte> tpm2bPublic)
    {
        var reader = new TpmReader(tpm2bPublic);
        ReadOnlySpan<byte> inner = reader.ReadSized("TPM2B_PUBLIC", TpmLimits.MaxPublicBytes);
        reader.ExpectEnd("TPM2B_PUBLIC");
        return Parse(inner);
    }

    /// <summary>Parses a marshalled TPMT_PUBLIC (no size prefix) of an RSA or ECC key; nothing may follow it.</summary>
    /// <exception cref="TpmFormatException">The structure is malformed or uses what the parser refuses.</exception>
    public static TpmPublic Parse(ReadOnlySpan<byte> tpmtPublic)
    {
        var reader = new TpmReader(tpmtPublic);
        ushort type = reader.ReadUInt16("type");
        if (type is not (TpmAlg.Rsa or TpmAlg.Ecc))
        {
            throw new TpmFormatException($"type 0x{type:x4}: only RSA and ECC keys are accepted");
        }

        ushort nameAlg = reader.ReadUInt16("nameAlg");
        if (nameAlg is not (TpmAlg.Sha256 or TpmAlg.Sha384 or TpmAlg.Sha512))
        {
            // SHA-1 names are refused as well as unknown ones: a collision would give two objects one name.
            throw new TpmFormatException($"nameAlg 0x{nameAlg:x4}: only SHA-256, SHA-384 and SHA-512 names are accepted");
        }

        var attributes = (TpmObjectAttributes)reader.ReadUInt32("objectAttributes");
        byte[] authPolicy = reader.ReadSized("authPolicy", TpmLimits.MaxDigestBytes).ToArray();
        if (authPolicy.Length != 0 && authPolicy.Length != TpmHash.Size(nameAlg))
        {
            throw new TpmFormatException($"authPolicy: {authPolicy.Length} bytes is neither empty nor a nameAlg digest");
        }

        (ushort symAlg, ushort symBits, ushort symMode) = ReadSymmetric(ref reader);
        (ushort scheme, ushort schemeHash, ushort schemeCount) = ReadScheme(ref reader, type);

        ushort keyBits = 0;
        uint exponent = 0;
        byte[] modulus = [];
        ushort curve = 0;
        ushort kdf = TpmAlg.Null;
        ushort kdfHash = TpmAlg.Null;
        byte[] x = [];
        byte[] y = [];
        if (type == TpmAlg.Rsa)
        {
            keyBits = reader.ReadUInt16("rsa.keyBits");
            if (keyBits is not (1024 or 2048 or 3072 or 4096))
            {
                throw new TpmFormatException($"rsa.keyBits: {keyBits} is not 1024, 2048, 3072 or 4096");
            }

            exponent = reader.ReadUInt32("rsa.exponent");
            if (exponent != 0 && (exponent < 3 || exponent % 2 == 0))
            {
                throw new TpmFormatException($"rsa.exponent: {exponent} is not an odd number above 1");
            }

            modulus = reader.ReadSized("rsa.unique", TpmLimits.MaxRsaModulusBytes).ToArray();
            if (modulus.Length * 8 != keyBits)
            {
                throw new TpmFormatException($"rsa.unique: {modulus.Length * 8}-bit modulus for a {keyBits}-bit key");
            }
        }
        else
        {
            curve = reader.ReadUInt16("ecc.curveID");
            int size = CurveSizeOf(curve);
            kdf = reader.ReadUInt16("ecc.kdf");
            if (kdf != TpmAlg.Null)
            {
                if (kdf is not (TpmAlg.Mgf1 or TpmAlg.Kdf1Sp80056A or TpmAlg.Kdf2 or TpmAlg.Kdf1Sp800108))
                {
                    throw new TpmFormatException($"ecc.kdf: unsupported KDF 0x{kdf:x4}");
                }

                kdfHash = ReadHash(ref reader, "ecc.kdf.hashAlg");
            }

            x = reader.ReadSized("ecc.unique.x", TpmLimits.MaxEccCoordinateBytes).ToArray();
            y = reader.ReadSized("ecc.unique.y", TpmLimits.MaxEccCoordinateBytes).ToArray();
            if (x.Length == 0 || y.Length == 0 || x.Length > size || y.Length > size)
            {
                throw new TpmFormatException("ecc.unique: a coordinate is empty or longer than the curve");
            }
        }

        reader.ExpectEnd("TPMT_PUBLIC");
        var result = new TpmPublic(tpmtPublic.ToArray())
        {
            Type = type,
            NameAlg = nameAlg,
            Attributes = attributes,
            AuthPolicy = authPolicy,
            SymmetricAlg = symAlg,
            SymmetricKeyBits = symBits,
            SymmetricMode = symMode,
            Scheme = scheme,
            SchemeHash = schemeHash,
            SchemeCount = schemeCount,
            RsaKeyBits = keyBits,
            RsaExponent = exponent,
            RsaModulus = modulus,
            Curve = curve,
            Kdf = kdf,
            KdfHash = kdfHash,
            EccX = x,
            EccY = y,
        };
        if (type == TpmAlg.Ecc)
        {
            RequireOnCurve(result);
        }

        return result;
    }

    /// <summary>A big-endian integer left-padded with zeros to <paramref name="size"/> bytes (the value itself when
    /// it already has that size).</summary>
    public static byte[] PadLeft(byte[] value, int size)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == size)
        {
            return value;
        }

        if (value.Length > size)
        {
            throw new ArgumentException($"A {value.Length}-byte value does not fit {size} bytes.", nameof(value));
        }

        var padded = new byte[size];
        value.CopyTo(padded, size - value.Length);
        return padded;
    }

    private static int CurveSizeOf(ushort curve) => curve switch
    {
        TpmAlg.CurveNistP256 => 32,
        TpmAlg.CurveNistP384 => 48,
        TpmAlg.CurveNistP521 => 66,
        _ => throw new TpmFormatException($"unsupported curve 0x{curve:x4}"),
    };

    private static (ushort Alg, ushort KeyBits, ushort Mode) ReadSymmetric(ref TpmReader reader)
    {
        ushort alg = reader.ReadUInt16("symmetric.algorithm");
        if (alg == TpmAlg.Null)
        {
            return (alg, 0, TpmAlg.Null);
        }

        if (alg is not (TpmAlg.Aes or TpmAlg.Sm4 or TpmAlg.Camellia))
        {
            throw new TpmFormatException($"symmetric.algorithm: unsupported cipher 0x{alg:x4}");
        }

        ushort keyBits = reader.ReadUInt16("symmetric.keyBits");
        if (keyBits is not (128 or 192 or 256))
        {
            throw new TpmFormatException($"symmetric.keyBits: {keyBits} is not 128, 192 or 256");
        }

        ushort mode = reader.ReadUInt16("symmetric.mode");
        if (mode is not (TpmAlg.Null or TpmAlg.Ctr or TpmAlg.Ofb or TpmAlg.Cbc or TpmAlg.Cfb or TpmAlg.Ecb))
        {
            throw new TpmFormatException($"symmetric.mode: unsupported mode 0x{mode:x4}");
        }

        return (alg, keyBits, mode);
    }

    private static (ushort Scheme, ushort Hash, ushort Count) ReadScheme(ref TpmReader reader, ushort type)
    {
        ushort scheme = reader.ReadUInt16("scheme");
        bool known = type == TpmAlg.Rsa
            ? scheme is TpmAlg.Null or TpmAlg.RsaSsa or TpmAlg.RsaEs or TpmAlg.RsaPss or TpmAlg.Oaep
            : scheme is TpmAlg.Null or TpmAlg.EcDsa or TpmAlg.EcDh or TpmAlg.EcDaa or TpmAlg.Sm2 or TpmAlg.EcSchnorr or TpmAlg.EcMqv;
        if (!known)
        {
            throw new TpmFormatException($"scheme: 0x{scheme:x4} is not a scheme of a {(type == TpmAlg.Rsa ? "RSA" : "ECC")} key");
        }

        // TPM_ALG_NULL and RSAES have empty details; ECDAA adds a count to the hash.
        if (scheme is TpmAlg.Null or TpmAlg.RsaEs)
        {
            return (scheme, TpmAlg.Null, 0);
        }

        ushort hash = ReadHash(ref reader, "scheme.hashAlg");
        ushort count = scheme == TpmAlg.EcDaa ? reader.ReadUInt16("scheme.count") : (ushort)0;
        return (scheme, hash, count);
    }

    private static ushort ReadHash(ref TpmReader reader, string field)
    {
        ushort hash = reader.ReadUInt16(field);
        if (hash is not (TpmAlg.Sha1 or TpmAlg.Sha256 or TpmAlg.Sha384 or TpmAlg.Sha512))
        {
            throw new TpmFormatException($"{field}: unsupported hash algorithm 0x{hash:x4}");
        }

        return hash;
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
            throw new TpmFormatException($"the key is of type 0x{Type:x4}, not 0x{type:x4}");
        }
    }
}
