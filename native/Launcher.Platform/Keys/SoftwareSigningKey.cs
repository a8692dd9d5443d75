using System.Security.Cryptography;

namespace Launcher.Platform.Keys;

/// <summary>A loaded software P-256 key.</summary>
internal sealed class SoftwareSigningKey : ISigningKey
{
    private readonly ECDsa _key;

    public SoftwareSigningKey(ECDsa key, string keyClass)
    {
        _key = key;
        KeyClass = keyClass;
        ECParameters parameters = key.ExportParameters(false);
        byte[] point = new byte[65];
        point[0] = 0x04;
        parameters.Q.X!.CopyTo(point, 1);
        parameters.Q.Y!.CopyTo(point, 33);
        PublicKeySec1 = point;
    }

    public string KeyClass { get; }

    public ReadOnlyMemory<byte> PublicKeySec1 { get; }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(sha256Digest));
        }

        return _key.SignHash(sha256Digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
