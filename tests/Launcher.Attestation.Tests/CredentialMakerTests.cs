using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Launcher.Attestation.Credentials;

using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Attestation.Tests;

public sealed class CredentialMakerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("launcher-mc-").FullName;

    public enum EkKind
    {
        Rsa2048,
        EccP256,
        EccP384,
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(EkKind.Rsa2048)]
    [InlineData(EkKind.EccP256)]
    [InlineData(EkKind.EccP384)]
    public void Make_ActivatedWithTheEkPrivateKey_YieldsTheCredential(EkKind kind)
    {
        // Arrange
        using SoftwareEk ek = SoftwareEk.Create(kind);
        byte[] name = AkName();
        byte[] secret = RandomNumberGenerator.GetBytes(32);

        // Act
        MadeCredential made = CredentialMaker.Make(ek.Public, name, secret);
        (byte[] activated, _) = SoftwareActivation.Activate(ek.Public, ek.Rsa, ek.Ecdh, name, made.CredentialBlob, made.EncryptedSecret);

        // Assert
        Assert.Equal(secret, activated);
        Assert.Equal(kind == EkKind.EccP384 ? 48 : 32, BinaryPrimitives.ReadUInt16BigEndian(made.CredentialBlob.AsSpan(2)));
    }

    [Theory]
    [InlineData(EkKind.Rsa2048)]
    [InlineData(EkKind.EccP384)]
    public void Make_ActivatedForAnotherObjectName_FailsTheIntegrityCheck(EkKind kind)
    {
        using SoftwareEk ek = SoftwareEk.Create(kind);
        MadeCredential made = CredentialMaker.Make(ek.Public, AkName(), RandomNumberGenerator.GetBytes(32));

        Assert.Throws<CryptographicException>(() => SoftwareActivation.Activate(ek.Public, ek.Rsa, ek.Ecdh, AkName(), made.CredentialBlob, made.EncryptedSecret));
    }

    [Fact]
    public void Make_SigningKeyAsEk_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        TpmPublic notAnEk = TpmPublic.ParseSized(TpmPublicBuilder.EccSigningKey(key, TpmPublicBuilder.AkAttributes, restricted: true));

        Assert.Throws<TpmFormatException>(() => CredentialMaker.Make(notAnEk, AkName(), new byte[32]));
    }

    // Known answer against tpm2-tools: the tool makes the credential (its own random seed); the seed recovered with
    // the EK's private key must make, through our code, byte for byte the same credential blob.
    [ToolTheory("tpm2_makecredential")]
    [InlineData(EkKind.Rsa2048)]
    [InlineData(EkKind.EccP256)]
    [InlineData(EkKind.EccP384)]
    public async Task WrapCredential_SeedFromTpm2Makecredential_ReproducesItsBlob(EkKind kind)
    {
        // Arrange
        using SoftwareEk ek = SoftwareEk.Create(kind);
        byte[] name = AkName();
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string publicFile = Path.Combine(_directory, "ek.pub");
        string secretFile = Path.Combine(_directory, "secret.bin");
        string output = Path.Combine(_directory, "credential.out");
        await File.WriteAllBytesAsync(publicFile, ek.Tpm2bPublic);
        await File.WriteAllBytesAsync(secretFile, secret);

        // Act
        await RunAsync("tpm2_makecredential", "-T", "none", "-u", publicFile, "-n", Convert.ToHexStringLower(name), "-s", secretFile, "-o", output);
        (byte[] blob, byte[] encryptedSecret) = ReadToolOutput(await File.ReadAllBytesAsync(output));
        (byte[] activated, byte[] seed) = SoftwareActivation.Activate(ek.Public, ek.Rsa, ek.Ecdh, name, blob, encryptedSecret);

        // Assert
        Assert.Equal(secret, activated);
        Assert.Equal(Convert.ToHexString(blob), Convert.ToHexString(CredentialMaker.WrapCredential(ek.Public, seed, name, secret)));
    }

    internal static byte[] AkName()
    {
        byte[] name = new byte[34];
        name[1] = 0x0B;
        RandomNumberGenerator.Fill(name.AsSpan(2));
        return name;
    }

    /// <summary>tpm2-tools' credential file: 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET.</summary>
    internal static (byte[] Blob, byte[] Secret) ReadToolOutput(byte[] file)
    {
        Assert.Equal(0xBADCC0DEu, BinaryPrimitives.ReadUInt32BigEndian(file));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(4)));
        int blobSize = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(8));
        byte[] blob = file[8..(10 + blobSize)];
        int secretSize = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(10 + blobSize));
        byte[] secret = file[(10 + blobSize)..(12 + blobSize + secretSize)];
        Assert.Equal(file.Length, 12 + blobSize + secretSize);
        return (blob, secret);
    }

    internal static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    internal sealed class SoftwareEk : IDisposable
    {
        private SoftwareEk(byte[] tpm2bPublic, RSA? rsa, ECDiffieHellman? ecdh)
        {
            Tpm2bPublic = tpm2bPublic;
            Public = TpmPublic.ParseSized(tpm2bPublic);
            Rsa = rsa;
            Ecdh = ecdh;
        }

        public byte[] Tpm2bPublic { get; }

        public TpmPublic Public { get; }

        public RSA? Rsa { get; }

        public ECDiffieHellman? Ecdh { get; }

        public static SoftwareEk Create(EkKind kind)
        {
            if (kind == EkKind.Rsa2048)
            {
                var rsa = RSA.Create(2048);
                return new SoftwareEk(TpmPublicBuilder.RsaEk(rsa), rsa, null);
            }

            var ecdh = ECDiffieHellman.Create(kind == EkKind.EccP384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
            return new SoftwareEk(TpmPublicBuilder.EccEk(ecdh), null, ecdh);
        }

        public void Dispose()
        {
            Rsa?.Dispose();
            Ecdh?.Dispose();
        }
    }
}
