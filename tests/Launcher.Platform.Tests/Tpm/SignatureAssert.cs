using System.Security.Cryptography;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>Verifies signatures with .NET's own ECDSA, independent of the TPM that made them.</summary>
internal static class SignatureAssert
{
    public static void Verifies(ReadOnlyMemory<byte> publicKeySec1, byte[] digest, byte[] p1363Signature)
    {
        Assert.Equal(65, publicKeySec1.Length);
        Assert.Equal(0x04, publicKeySec1.Span[0]);
        Assert.Equal(64, p1363Signature.Length);
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKeySec1[1..33].ToArray(), Y = publicKeySec1[33..65].ToArray() },
        };
        using var ecdsa = ECDsa.Create(parameters);
        Assert.True(
            ecdsa.VerifyHash(digest, p1363Signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "the TPM's signature does not verify against its public key");
    }
}
