using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Launcher.Platform.Attestation;

/// <summary>
/// A parsed TPMT_PUBLIC (TPM 2.0 Part 2, 12.2.4) of an RSA or ECC key: enough to name it, check its attributes and
/// read its key. Parsing is strict: every byte must be consumed, and unknown algorithms are refused.
/// </summary>
internal sealed class TpmPublicArea
{
    public const ushort AlgRsa = 0x0001;
    public const ushort AlgSha256 = 0x000B;
    public const ushort AlgSha384 = 0x000C;
    public const ushort AlgNull = 0x0010;
    public const ushort AlgEcc = 0x0023;
    public const ushort AlgEcdaa = 0x001A;
    public const ushort CurveNistP256 = 0x0003;
    public const ushort CurveNistP384 = 0x0004;

    public const uint AttributeFixedTpm = 0x00000002;
    public const uint AttributeFixedParent = 0x00000010;
    public const uint AttributeSensitiveDataOrigin = 0x00000020;
    public const uint AttributeUserWithAuth = 0x00000040;
    public const uint AttributeAdminWithPolicy = 0x00000080;
    public const uint AttributeNoDa = 0x00000400;
    public const uint AttributeRestricted = 0x00010000;
    public const uint AttributeDecrypt = 0x00020000;
    public const uint AttributeSign = 0x00040000;

    private TpmPublicArea()
    {
    }

    public ushort Type { get; private init; }

    public ushort NameAlg { get; private init; }

    public uint ObjectAttributes { get; private init; }

    public byte[] AuthPolicy { get; private init; } = [];

    public ushort SymmetricAlgorithm { get; private init; }

    public ushort SymmetricKeyBits { get; private init; }

    /// <summary>The signing or key-exchange scheme (TPM_ALG_NULL when none) and its hash.</summary>
    public ushort Scheme { get; private init; }

    public ushort SchemeHash { get; private init; }

    /// <summary>ECC: the curve id; RSA: 0.</summary>
    public ushort Curve { get; private init; }

    /// <summary>RSA: the key size in bits; ECC: 0.</summary>
    public ushort RsaKeyBits { get; private init; }

    /// <summary>RSA: the exponent, with the area's 0 read as 65537; ECC: 0.</summary>
    public uint RsaExponent { get; private init; }

    /// <summary>RSA: the modulus; ECC: the x coordinate.</summary>
    public byte[] UniqueX { get; private init; } = [];

    /// <summary>ECC: the y coordinate; RSA: empty.</summary>
    public byte[] UniqueY { get; private init; } = [];

    public bool Has(uint attributes) => (ObjectAttributes & attributes) == attributes;

    /// <summary>The name of an object with this public area: BE16(nameAlg) || H_nameAlg(publicArea).</summary>
    public static byte[] ComputeName(ReadOnlySpan<byte> publicArea)
    {
        if (publicArea.Length < 4)
        {
            throw new FormatException("A TPMT_PUBLIC has at least 4 bytes.");
        }

        ushort nameAlg = BinaryPrimitives.ReadUInt16BigEndian(publicArea[2..]);
        byte[] digest = nameAlg switch
        {
            AlgSha256 => SHA256.HashData(publicArea),
            AlgSha384 => SHA384.HashData(publicArea),
            _ => throw new FormatException($"Name algorithm 0x{nameAlg:x4} is not SHA-256 or SHA-384."),
        };
        byte[] name = new byte[2 + digest.Length];
        BinaryPrimitives.WriteUInt16BigEndian(name, nameAlg);
        digest.CopyTo(name, 2);
        return name;
    }

    /// <summary>Parses a marshalled TPMT_PUBLIC (no TPM2B size prefix).</summary>
    public static TpmPublicArea Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        ushort type = reader.U16();
        ushort nameAlg = reader.U16();
        uint attributes = reader.U32();
        byte[] authPolicy = reader.Sized();
        if (type != AlgRsa && type != AlgEcc)
        {
            throw new FormatException($"Key type 0x{type:x4} is neither RSA nor ECC.");
        }

        ushort symmetric = reader.U16();
        ushort symmetricBits = 0;
        if (symmetric != AlgNull)
        {
            symmetricBits = reader.U16();
            _ = reader.U16(); // mode
        }

        ushort scheme = reader.U16();
        ushort schemeHash = 0;
        if (scheme != AlgNull)
        {
            schemeHash = reader.U16();
            if (scheme == AlgEcdaa)
            {
                _ = reader.U16(); // count
            }
        }

        TpmPublicArea area;
        if (type == AlgEcc)
        {
            ushort curve = reader.U16();
            ushort kdf = reader.U16();
            if (kdf != AlgNull)
            {
                _ = reader.U16();
            }

            byte[] x = reader.Sized();
            byte[] y = reader.Sized();
            area = new TpmPublicArea { Curve = curve, UniqueX = x, UniqueY = y, Type = type, NameAlg = nameAlg, ObjectAttributes = attributes, AuthPolicy = authPolicy, SymmetricAlgorithm = symmetric, SymmetricKeyBits = symmetricBits, Scheme = scheme, SchemeHash = schemeHash };
        }
        else
        {
            ushort keyBits = reader.U16();
            uint exponent = reader.U32();
            byte[] modulus = reader.Sized();
            area = new TpmPublicArea { RsaKeyBits = keyBits, RsaExponent = exponent == 0 ? 65537 : exponent, UniqueX = modulus, Type = type, NameAlg = nameAlg, ObjectAttributes = attributes, AuthPolicy = authPolicy, SymmetricAlgorithm = symmetric, SymmetricKeyBits = symmetricBits, Scheme = scheme, SchemeHash = schemeHash };
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("Bytes follow the TPMT_PUBLIC.");
        }

        return area;
    }

    /// <summary>An ECC key's point as 0x04 || X || Y, each coordinate left-padded to the curve size.</summary>
    public byte[] EccPointSec1()
    {
        int size = Curve switch
        {
            CurveNistP256 when Type == AlgEcc => 32,
            CurveNistP384 when Type == AlgEcc => 48,
            _ => throw new FormatException("Not a NIST P-256 or P-384 key."),
        };
        if (UniqueX.Length == 0 || UniqueX.Length > size || UniqueY.Length == 0 || UniqueY.Length > size)
        {
            throw new FormatException("The ECC point does not fit its curve.");
        }

        byte[] point = new byte[1 + (2 * size)];
        point[0] = 0x04;
        UniqueX.CopyTo(point, 1 + size - UniqueX.Length);
        UniqueY.CopyTo(point, 1 + (2 * size) - UniqueY.Length);
        return point;
    }

    /// <summary>The key as a DER SubjectPublicKeyInfo (rsaEncryption, or id-ecPublicKey with the named curve).</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        if (Type == AlgRsa)
        {
            byte[] exponent = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(exponent, RsaExponent);
            using RSA rsa = RSA.Create(new RSAParameters { Modulus = UniqueX, Exponent = exponent.AsSpan().TrimStart((byte)0).ToArray() });
            return rsa.ExportSubjectPublicKeyInfo();
        }

        byte[] point = EccPointSec1();
        int size = (point.Length - 1) / 2;
        var parameters = new ECParameters
        {
            Curve = Curve == CurveNistP256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
            Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] },
        };
        using ECDsa ecdsa = ECDsa.Create(parameters);
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private int _offset;

        public Reader(ReadOnlySpan<byte> bytes)
        {
            _bytes = bytes;
            _offset = 0;
        }

        public readonly bool AtEnd => _offset == _bytes.Length;

        public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

        public byte[] Sized() => Take(U16()).ToArray();

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _bytes.Length - _offset)
            {
                throw new FormatException("The TPMT_PUBLIC is truncated.");
            }

            ReadOnlySpan<byte> slice = _bytes.Slice(_offset, count);
            _offset += count;
            return slice;
        }
    }
}
