using System.Security.Cryptography;
using System.Text;

namespace Launcher.Contracts.Identity;

/// <summary>A P-256 public key and its derived forms: JWK, SubjectPublicKeyInfo, RFC 7638 thumbprint.</summary>
public sealed class EcPublicKey
{
    private EcPublicKey(byte[] x, byte[] y)
    {
        X = x;
        Y = y;
        Jwk = new PublicKeyJwk { Kty = "EC", Crv = "P-256", X = System.Buffers.Text.Base64Url.EncodeToString(x), Y = System.Buffers.Text.Base64Url.EncodeToString(y) };
        Thumbprint = ComputeThumbprint(Jwk);
        using ECDsa key = ECDsa.Create(Parameters);
        Spki = key.ExportSubjectPublicKeyInfo();
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
}
