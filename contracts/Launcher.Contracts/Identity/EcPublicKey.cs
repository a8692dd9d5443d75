using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Launcher.Contracts.Identity;

/// <summary>A P-256 public key and its derived forms: JWK, SubjectPublicKeyInfo, RFC 7638 thumbprint.</summary>
/// <remarks>
/// Built without OpenSSL: importing a key into OpenSSL 3.0 costs about 150 µs, more than verifying a signature with
/// it, and the fleet server builds one of these for every proof it checks (docs/benchmarks.md, fleet). The point is
/// validated here instead (coordinates below p, y² = x³ − 3x + b mod p; P-256 has cofactor 1, so every such point
/// is a valid public key) and the SubjectPublicKeyInfo is the fixed DER of a named-curve P-256 key.
/// </remarks>
public sealed class EcPublicKey
{
    // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits) 0x04 || X || Y }.
    private static readonly byte[] s_spkiPrefix = Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D030107034200");
    private static readonly BigInteger s_p = BigInteger.Parse("0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger s_b = BigInteger.Parse("05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private EcPublicKey(byte[] x, byte[] y)
    {
        if (x.Length != 32 || y.Length != 32 || !IsOnCurve(x, y))
        {
            throw new FormatException("The point is not on P-256.");
        }

        X = x;
        Y = y;
        Jwk = new PublicKeyJwk { Kty = "EC", Crv = "P-256", X = System.Buffers.Text.Base64Url.EncodeToString(x), Y = System.Buffers.Text.Base64Url.EncodeToString(y) };
        Thumbprint = ComputeThumbprint(Jwk);
        byte[] spki = new byte[s_spkiPrefix.Length + 65];
        s_spkiPrefix.CopyTo(spki, 0);
        spki[s_spkiPrefix.Length] = 0x04;
        x.CopyTo(spki, s_spkiPrefix.Length + 1);
        y.CopyTo(spki, s_spkiPrefix.Length + 33);
        Spki = spki;
    }

    /// <summary>The x coordinate (32 bytes).</summary>
    public byte[] X { get; }

    /// <summary>The y coordinate (32 bytes).</summary>
    public byte[] Y { get; }

    /// <summary>The key as a JWK.</summary>
    public PublicKeyJwk Jwk { get; }

    /// <summary>The RFC 7638 thumbprint: SHA-256 over the canonical JWK, base64url.</summary>
    public string Thumbprint { get; }

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public byte[] Spki { get; }

    /// <summary>The parameters for <see cref="ECDsa.Create(ECParameters)"/> (verification).</summary>
    public ECParameters Parameters => new() { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = X, Y = Y } };

    /// <summary>Reads an uncompressed SEC1 point (0x04 || X || Y) and checks that it lies on P-256.</summary>
    /// <exception cref="FormatException">Not a valid uncompressed P-256 point.</exception>
    public static EcPublicKey FromSec1(ReadOnlySpan<byte> point)
    {
        if (point.Length != 65 || point[0] != 0x04)
        {
            throw new FormatException("A P-256 public key must be a 65-byte uncompressed point.");
        }

        var key = new EcPublicKey(point[1..33].ToArray(), point[33..].ToArray());
        return key;
    }

    /// <summary>Reads a DER SubjectPublicKeyInfo holding a P-256 key.</summary>
    /// <exception cref="FormatException">Not a P-256 SubjectPublicKeyInfo.</exception>
    public static EcPublicKey FromSpki(ReadOnlySpan<byte> spki)
    {
        if (spki.Length == s_spkiPrefix.Length + 65 && spki.StartsWith(s_spkiPrefix) && spki[s_spkiPrefix.Length] == 0x04)
        {
            // The form every P-256 key of this project is exported in; anything else goes through OpenSSL below.
            return new EcPublicKey(spki[(s_spkiPrefix.Length + 1)..^32].ToArray(), spki[^32..].ToArray());
        }

        try
        {
            using ECDsa key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out int read);
            ECParameters parameters = key.ExportParameters(false);
            if (read != spki.Length || parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new FormatException("The key is not a P-256 SubjectPublicKeyInfo.");
            }

            return new EcPublicKey(parameters.Q.X!, parameters.Q.Y!);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("The key is not a P-256 SubjectPublicKeyInfo.", ex);
        }
    }

    /// <summary>The RFC 7638 thumbprint of a P-256 JWK (members crv, kty, x, y in that order, no whitespace).</summary>
    public static string ComputeThumbprint(PublicKeyJwk jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        string canonical = $$"""{"crv":"{{jwk.Crv}}","kty":"{{jwk.Kty}}","x":"{{jwk.X}}","y":"{{jwk.Y}}"}""";
        return System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static bool IsOnCurve(byte[] x, byte[] y)
    {
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= s_p || by >= s_p)
        {
            return false;
        }

        BigInteger left = by * by % s_p;
        BigInteger right = ((((bx * bx) % s_p) * bx) - (3 * bx) + s_b) % s_p;
        if (right.Sign < 0)
        {
            right += s_p;
        }

        return left == right;
    }
}
