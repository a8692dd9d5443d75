using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Launcher.Attestation.Credentials;
using Launcher.Contracts.Tpm;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>
/// TPM2_ActivateCredential done in software with the EK's private key: the TPM's half of the protocol, written
/// from the specification for tests only, so that the server's MakeCredential and tpm2-tools' output can be opened.
/// </summary>
internal static class SoftwareActivation
{
    public static (byte[] Credential, byte[] Seed) Activate(TpmPublic ek, RSA? rsaPrivate, ECDiffieHellman? eccPrivate, byte[] objectName, byte[] credentialBlob, byte[] encryptedSecret)
    {
        byte[] secret = Unwrap(encryptedSecret);
        byte[] seed = ek.Type == TpmAlg.Rsa ? RsaSeed(ek, rsaPrivate!, secret) : EccSeed(ek, eccPrivate!, secret);
        int hashSize = TpmHash.Size(ek.NameAlg);
        byte[] idObject = Unwrap(credentialBlob);
        int hmacSize = BinaryPrimitives.ReadUInt16BigEndian(idObject);
        if (hmacSize != hashSize)
        {
            throw new CryptographicException("integrity size");
        }

        byte[] outerHmac = idObject[2..(2 + hmacSize)];
        byte[] encIdentity = idObject[(2 + hmacSize)..];
        byte[] hmacKey = TpmKdf.KdfA(ek.NameAlg, seed, "INTEGRITY", [], [], hashSize * 8);
        byte[] expected = TpmHash.Hmac(ek.NameAlg, hmacKey, [.. encIdentity, .. objectName]);
        if (!CryptographicOperations.FixedTimeEquals(expected, outerHmac))
        {
            throw new CryptographicException("integrity check failed");
        }

        byte[] symKey = TpmKdf.KdfA(ek.NameAlg, seed, "STORAGE", objectName, [], ek.SymmetricKeyBits);
        byte[] plain = CredentialMaker.AesCfbDecrypt(symKey, encIdentity);
        return (Unwrap(plain), seed);
    }

    private static byte[] Unwrap(byte[] tpm2b)
    {
        int size = BinaryPrimitives.ReadUInt16BigEndian(tpm2b);
        if (size != tpm2b.Length - 2)
        {
            throw new CryptographicException("size");
        }

        return tpm2b[2..];
    }

    private static byte[] RsaSeed(TpmPublic ek, RSA rsa, byte[] encrypted)
    {
        RSAParameters p = rsa.ExportParameters(true);
        var key = new RsaPrivateCrtKeyParameters(
            new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D),
            new BigInteger(1, p.P), new BigInteger(1, p.Q), new BigInteger(1, p.DP), new BigInteger(1, p.DQ), new BigInteger(1, p.InverseQ));
        Org.BouncyCastle.Crypto.IDigest Digest() => ek.NameAlg == TpmAlg.Sha384 ? new Sha384Digest() : new Sha256Digest();
        var oaep = new OaepEncoding(new RsaEngine(), Digest(), Digest(), Encoding.ASCII.GetBytes("IDENTITY\0"));
        oaep.Init(false, key);
        return oaep.ProcessBlock(encrypted, 0, encrypted.Length);
    }

    private static byte[] EccSeed(TpmPublic ek, ECDiffieHellman ecdh, byte[] point)
    {
        int xSize = BinaryPrimitives.ReadUInt16BigEndian(point);
        byte[] x = point[2..(2 + xSize)];
        int ySize = BinaryPrimitives.ReadUInt16BigEndian(point.AsSpan(2 + xSize));
        byte[] y = point[(4 + xSize)..(4 + xSize + ySize)];
        using var ephemeral = ECDiffieHellman.Create(new ECParameters { Curve = ek.EcCurve, Q = new ECPoint { X = x, Y = y } });
        byte[] z = ecdh.DeriveRawSecretAgreement(ephemeral.PublicKey);
        return TpmKdf.KdfE(ek.NameAlg, z, "IDENTITY", x, ek.EccX, TpmHash.Size(ek.NameAlg) * 8);
    }
}
