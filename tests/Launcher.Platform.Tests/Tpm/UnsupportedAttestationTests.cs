using Launcher.Contracts;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

public sealed class UnsupportedAttestationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("launcher-attest-unsupported-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void SoftwareStore_Attestation_IsNotSupportedWithAReason()
    {
        // Arrange
        using IKeyStore store = new SoftwareKeyStore(Path.Combine(_directory, "key.p8"), KeyClasses.Software);

        // Act
        KeyStoreAvailability support = store.Attestation.CheckSupport();

        // Assert
        Assert.False(support.IsAvailable);
        Assert.Contains("software", support.Reason, StringComparison.Ordinal);
        AssertEveryOperationRefuses(store.Attestation);
    }

    [Fact]
    public void SecureEnclaveStore_Attestation_IsNotSupportedWithAReason()
    {
        // Arrange: nothing here calls the Enclave, so the store can be built on Linux
        using IKeyStore store = new SecureEnclaveKeyStore(Path.Combine(_directory, "key.se"), KeyClasses.SecureEnclave, NativeAccess.Always);

        // Act
        KeyStoreAvailability support = store.Attestation.CheckSupport();

        // Assert
        Assert.False(support.IsAvailable);
        Assert.Contains("Secure Enclave", support.Reason, StringComparison.Ordinal);
        AssertEveryOperationRefuses(store.Attestation);
    }

    private static void AssertEveryOperationRefuses(ITpmAttestation attestation)
    {
        Assert.Throws<NotSupportedException>(() => attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048));
        Assert.Throws<NotSupportedException>(() => attestation.ReadEndorsementCertificate(EndorsementKeyKind.EccP384));
        Assert.Throws<NotSupportedException>(() => attestation.ReadEndorsementCertificateChain());
        Assert.Throws<NotSupportedException>(() => attestation.LoadOrCreateAttestationKey());
        Assert.Throws<NotSupportedException>(() => attestation.DeleteAttestationKey());
    }
}
