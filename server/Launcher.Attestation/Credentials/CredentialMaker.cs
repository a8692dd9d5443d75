using System.Security.Cryptography;
using System.Text;
using Launcher.Attestation.Tpm;
using Launcher.Contracts.Tpm;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Launcher.Attestation.Credentials;

/// <summary>
/// TPM2_MakeCredential in software (TCG TPM 2.0 Part 1, 24): wraps a credential so that only the TPM holding the
/// EK, and only for an object with the given name loaded in it, can recover it with TPM2_ActivateCredential. The
/// EK's own name algorithm and symmetric key size are used throughout (RSA-2048 and P-256 EKs: SHA-256 and
/// AES-128; the P-384 EK: SHA-384 and AES-256).
/// </summary>
public static class CredentialMaker
{
    private static readonly byte[] s_identityLabel = Encoding.ASCII.GetBytes("IDENTITY\0");

    /// <summary>Makes a credential for the object named <paramref name="objectName"/> under the EK <paramref name="ek"/>.</summary>
    public static MadeCredential Make(TpmPublic ek, ReadOnlySpan<byte> objectName, ReadOnlySpan<byte> credential)
    {
        ArgumentNullException.ThrowIfNull(ek);
        CheckEk(ek);
        int hashSize = TpmHash.Size(ek.NameAlg);
        if (credential.IsEmpty || credential.Length > hashSize)
        {
            throw new ArgumentException($"The credential must be 1 to {hashSize} bytes (a TPM2B_DIGEST of the EK's name algorithm).", nameof(credential));
        }

        byte[] seed;
        byte[] encryptedSecret;
        if (ek.Type == TpmAlg.Rsa)
        {
            seed = RandomNumberGenerator.GetBytes(hashSize);
            encryptedSecret = new TpmWriter().Sized(EncryptRsaOaep(ek, seed)).ToArray();
        }
        else
        {
            (seed, byte[] point) = EccSeed(ek);
            encryptedSecret = new TpmWriter().Sized(point).ToArray();
        }

        return new MadeCredential(WrapCredential(ek, seed, objectName, credential), encryptedSecret);
    }

    /// <summary>The credential blob for a given seed: the deterministic half of MakeCredential.</summary>
    internal static byte[] WrapCredential(TpmPublic ek, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> objectName, ReadOnlySpan<byte> credential)
    {
        ushort hash = ek.NameAlg;
        int hashSize = TpmHash.Size(hash);
        byte[] symKey = TpmKdf.KdfA(hash, seed, "STORAGE", objectName, [], ek.SymmetricKeyBits);
        byte[] plain = new TpmWriter().Sized(credential).ToArray();
        byte[] encIdentity = AesCfbEncrypt(symKey, plain);
        byte[] hmacKey = TpmKdf.KdfA(hash, seed, "INTEGRITY", [], [], hashSize * 8);
        byte[] hmacInput = new byte[encIdentity.Length + objectName.Length];
        encIdentity.CopyTo(hmacInput, 0);
        objectName.CopyTo(hmacInput.AsSpan(encIdentity.Length));
        byte[] outerHmac = TpmHash.Hmac(hash, hmacKey, hmacInput);
        byte[] idObject = new TpmWriter().Sized(outerHmac).Bytes(encIdentity).ToArray();
        return new TpmWriter().Sized(idObject).ToArray();
    }

    /// <summary>AES in CFB mode with 128-bit feedback and a zero IV, for any length (CFB needs no padding).</summary>
    internal static byte[] AesCfbEncrypt(byte[] key, ReadOnlySpan<byte> plain)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        int padded = (plain.Length + 15) / 16 * 16;
        var buffer = new byte[padded];
        plain.CopyTo(buffer);
        byte[] cipher = aes.EncryptCfb(buffer, new byte[16], PaddingMode.None, feedbackSizeInBits: 128);
        return cipher[..plain.Length];
    }

    /// <summary>The inverse of <see cref="AesCfbEncrypt"/>.</summary>
    internal static byte[] AesCfbDecrypt(byte[] key, ReadOnlySpan<byte> cipher)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        int padded = (cipher.Length + 15) / 16 * 16;
        var buffer = new byte[padded];
        cipher.CopyTo(buffer);
        byte[] plain = aes.DecryptCfb(buffer, new byte[16], PaddingMode.None, feedbackSizeInBits: 128);
        return plain[..cipher.Length];
    }

    private static void CheckEk(TpmPublic ek)
    {
        if (!ek.Has(TpmObjectAttributes.Restricted | TpmObjectAttributes.Decrypt) || ek.Has(TpmObjectAttributes.Sign))
        {
            throw new TpmFormatException("the EK must be a restricted decryption key");
        }

        if (ek.SymmetricAlg != TpmAlg.Aes || ek.SymmetricMode != TpmAlg.Cfb || ek.SymmetricKeyBits is not (128 or 192 or 256))
        {
            throw new TpmFormatException("the EK's symmetric algorithm must be AES in CFB mode");
        }

        if (ek.Type == TpmAlg.Rsa && ek.RsaKeyBits < 2048)
        {
            throw new TpmFormatException($"an RSA EK of {ek.RsaKeyBits} bits is too small");
        }
    }

    private static byte[] EncryptRsaOaep(TpmPublic ek, byte[] seed)
    {
        RSAParameters parameters = ek.RsaParameters();
        var key = new RsaKeyParameters(false, new BigInteger(1, parameters.Modulus), new BigInteger(1, parameters.Exponent));
        var oaep = new OaepEncoding(new RsaEngine(), NewDigest(ek.NameAlg), NewDigest(ek.NameAlg), s_identityLabel);
        oaep.Init(true, new ParametersWithRandom(key, new SecureRandom()));
        return oaep.ProcessBlock(seed, 0, seed.Length);
    }

    private static (byte[] Seed, byte[] Point) EccSeed(TpmPublic ek)
    {
        int size = ek.CurveSize;
        using var ekKey = ECDiffieHellman.Create(ek.EcParameters());
        using var ephemeral = ECDiffieHellman.Create(ek.EcCurve);
        byte[] z = ephemeral.DeriveRawSecretAgreement(ekKey.PublicKey);
        ECParameters ephemeralPublic = ephemeral.ExportParameters(false);
        byte[] ephX = TpmPublic.PadLeft(ephemeralPublic.Q.X!, size);
        byte[] ephY = TpmPublic.PadLeft(ephemeralPublic.Q.Y!, size);
        byte[] seed = TpmKdf.KdfE(ek.NameAlg, z, "IDENTITY", ephX, ek.EccX, TpmHash.Size(ek.NameAlg) * 8);
        byte[] point = new TpmWriter().Sized(ephX).Sized(ephY).ToArray();
        return (seed, point);
    }

    private static Org.BouncyCastle.Crypto.IDigest NewDigest(ushort hashAlg) => hashAlg switch
    {
        TpmAlg.Sha1 => new Sha1Digest(),
        TpmAlg.Sha256 => new Sha256Digest(),
        TpmAlg.Sha384 => new Sha384Digest(),
        TpmAlg.Sha512 => new Sha512Digest(),
        _ => throw new TpmFormatException($"unsupported hash algorithm 0x{hashAlg:x4}"),
    };
}
