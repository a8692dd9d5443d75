using System.Security.Cryptography;
using Launcher.Contracts.Proofs;
using Launcher.Platform.Native;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>The native shim through its binding, below the key store: argument checks, hostile blobs, object
/// lifetime in a TPM without a resource manager.</summary>
[Collection(SwtpmCollection.Name)]
public sealed class TpmShimTests
{
    private readonly SwtpmFixture _fixture;

    public TpmShimTests(SwtpmFixture fixture)
    {
        _fixture = fixture;
    }

    [TpmFact]
    public void SignDigest_31ByteDigest_ReturnsInvalidArgument()
    {
        // Arrange
        using NativeKeyContext context = NativeKeyContext.Open(_fixture.Tpm.Tcti);
        byte[] blob = context.CreateKey(NativeAccess.Always);

        // Act
        NativeKeyException thrown = Assert.Throws<NativeKeyException>(() => context.SignDigest(blob, new byte[31]));

        // Assert
        Assert.Equal(NativeStatus.InvalidArgument, thrown.Status);
    }

    [TpmFact]
    public void Open_NothingListening_ReturnsUnavailable()
    {
        // Act
        NativeKeyException thrown = Assert.Throws<NativeKeyException>(() => NativeKeyContext.Open("swtpm:host=127.0.0.1,port=1"));

        // Assert
        Assert.Equal(NativeStatus.Unavailable, thrown.Status);
    }

    [TpmFact]
    public void SignDigest_ValidKey_ReturnsStrictDerThatVerifies()
    {
        // Arrange
        using NativeKeyContext context = NativeKeyContext.Open(_fixture.Tpm.Tcti);
        byte[] blob = context.CreateKey(NativeAccess.Always);
        byte[] publicKey = context.PublicKey(blob);

        // Act + Assert: enough signatures that some r or s has a high bit or a leading zero byte.
        for (int i = 0; i < 40; i++)
        {
            byte[] digest = SHA256.HashData(BitConverter.GetBytes(i));
            byte[] der = context.SignDigest(blob, digest);
            Assert.InRange(der.Length, 8, 72);
            SignatureAssert.Verifies(publicKey, digest, EcdsaSignature.DerToP1363(der));
        }
    }

    [TpmFact]
    public void PublicKey_RandomAndTruncatedBlobs_AlwaysKeyInvalid()
    {
        // Arrange
        using NativeKeyContext context = NativeKeyContext.Open(_fixture.Tpm.Tcti);
        byte[] valid = context.CreateKey(NativeAccess.Always);
        var random = new Random(20240601);
        var blobs = new List<byte[]>();
        for (int length = 1; length < valid.Length; length++)
        {
            blobs.Add(valid[..length]);
        }

        blobs.Add([.. valid, 0x00]);
        for (int i = 0; i < 200; i++)
        {
            var noise = new byte[random.Next(1, 600)];
            random.NextBytes(noise);
            blobs.Add(noise);
        }

        for (int i = 0; i < 60; i++)
        {
            byte[] flipped = (byte[])valid.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            blobs.Add(flipped);
        }

        // Act + Assert: every one is refused as an invalid key, none crashes the process or passes.
        foreach (byte[] blob in blobs)
        {
            NativeKeyException thrown = Assert.Throws<NativeKeyException>(() => context.PublicKey(blob));
            Assert.True(thrown.Status == NativeStatus.KeyInvalid, $"{blob.Length}-byte blob gave {thrown.Status}: {thrown.Detail}");
        }

        Assert.Equal(65, context.PublicKey(valid).Length);
    }

    [TpmFact]
    public void Close_AfterCreateAndSign_LeavesNoTransientObjects()
    {
        // Arrange
        using (NativeKeyContext context = NativeKeyContext.Open(_fixture.Tpm.Tcti))
        {
            byte[] first = context.CreateKey(NativeAccess.Always);
            byte[] second = context.CreateKey(NativeAccess.Always);
            context.SignDigest(first, new byte[32]);
            context.SignDigest(second, new byte[32]);

            // Act
        }

        // Assert: without a resource manager, tpm2_getcap sees every object any connection left behind.
        string handles = _fixture.Tpm.Tool("tpm2_getcap", "handles-transient");
        Assert.Equal(string.Empty, handles.Trim());
    }

    [TpmFact]
    public void SignDigest_AfterTpmReset_ReloadsOnceAndSigns()
    {
        // Arrange
        using NativeKeyContext context = NativeKeyContext.Open(_fixture.Tpm.Tcti);
        byte[] blob = context.CreateKey(NativeAccess.Always);
        byte[] publicKey = context.PublicKey(blob);
        byte[] digest = SHA256.HashData("reset"u8);
        _fixture.Tpm.ResetTpm();

        // Act
        byte[] der = context.SignDigest(blob, digest);

        // Assert
        SignatureAssert.Verifies(publicKey, digest, EcdsaSignature.DerToP1363(der));
    }
}
