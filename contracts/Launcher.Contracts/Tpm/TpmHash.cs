using System.Security.Cryptography;

namespace Launcher.Contracts.Tpm;

/// <summary>Maps a TPM hash algorithm to .NET's and to its digest size.</summary>
public static class TpmHash
{
    /// <summary>.NET's name for a TPM hash algorithm.</summary>
    public static HashAlgorithmName Name(ushort alg) => alg switch
    {
        TpmAlg.Sha1 => HashAlgorithmName.SHA1,
        TpmAlg.Sha256 => HashAlgorithmName.SHA256,
        TpmAlg.Sha384 => HashAlgorithmName.SHA384,
        TpmAlg.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new TpmFormatException($"unsupported hash algorithm 0x{alg:x4}"),
    };

    /// <summary>The digest size in bytes.</summary>
    public static int Size(ushort alg) => alg switch
    {
        TpmAlg.Sha1 => 20,
        TpmAlg.Sha256 => 32,
        TpmAlg.Sha384 => 48,
        TpmAlg.Sha512 => 64,
        _ => throw new TpmFormatException($"unsupported hash algorithm 0x{alg:x4}"),
    };

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static byte[] Digest(ushort alg, ReadOnlySpan<byte> data) => alg switch
    {
        TpmAlg.Sha1 => SHA1.HashData(data),
        TpmAlg.Sha256 => SHA256.HashData(data),
        TpmAlg.Sha384 => SHA384.HashData(data),
        TpmAlg.Sha512 => SHA512.HashData(data),
        _ => throw new TpmFormatException($"unsupported hash algorithm 0x{alg:x4}"),
    };

    /// <summary>The HMAC of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static byte[] Hmac(ushort alg, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => alg switch
    {
        TpmAlg.Sha1 => HMACSHA1.HashData(key, data),
        TpmAlg.Sha256 => HMACSHA256.HashData(key, data),
        TpmAlg.Sha384 => HMACSHA384.HashData(key, data),
        TpmAlg.Sha512 => HMACSHA512.HashData(key, data),
        _ => throw new TpmFormatException($"unsupported hash algorithm 0x{alg:x4}"),
    };
}
