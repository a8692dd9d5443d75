using System.Security.Cryptography;
using Launcher.Contracts;
using Launcher.Platform.Keys;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

[Collection(SwtpmCollection.Name)]
public sealed class TpmKeyStoreTests : IDisposable
{
    private readonly SwtpmFixture _fixture;
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("launcher-tpm-keys-").FullName;

    public TpmKeyStoreTests(SwtpmFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        Directory.Delete(_keyDirectory, recursive: true);
    }

    private string PublicPath => Path.Combine(_keyDirectory, TpmKeyStore.PublicFileName);

    private string PrivatePath => Path.Combine(_keyDirectory, TpmKeyStore.PrivateFileName);

    private TpmKeyStore NewStore() => new(_keyDirectory, _fixture.Tpm.Tcti);

    private void CreateKey()
    {
        using TpmKeyStore store = NewStore();
        store.Create();
    }

    [TpmFact]
    public void ReadDeviceInfo_Swtpm_ReportsIbmAndAFirmwareVersion()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act
        TpmDeviceInfo info = store.ReadDeviceInfo();

        // Assert: swtpm reports TPM2_PT_MANUFACTURER "IBM\0" (libtpms).
        Assert.Equal("IBM", info.ManufacturerId);
        Assert.Equal("IBM", info.ManufacturerName);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", info.FirmwareVersion);
    }

    [TpmFact]
    public void ReadDeviceInfo_NoTpm_IsAnIOException()
    {
        // Arrange: a TCTI where nothing listens.
        using var store = new TpmKeyStore(_keyDirectory, "swtpm:host=127.0.0.1,port=1");

        // Act / Assert
        Assert.Throws<IOException>(() => store.ReadDeviceInfo());
    }

    [TpmFact]
    public void CheckAvailability_SwtpmRunning_IsAvailable()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act
        KeyStoreAvailability availability = store.CheckAvailability();

        // Assert
        Assert.True(availability.IsAvailable, availability.Reason);
        Assert.Equal(KeyClasses.Tpm, store.KeyClass);
    }

    [TpmFact]
    public void CheckAvailability_NothingListening_IsUnavailableWithReason()
    {
        // Arrange: port 1 on loopback: nothing listens there.
        using var store = new TpmKeyStore(_keyDirectory, "swtpm:host=127.0.0.1,port=1");

        // Act
        KeyStoreAvailability availability = store.CheckAvailability();

        // Assert
        Assert.False(availability.IsAvailable);
        Assert.Contains("TCTI", availability.Reason, StringComparison.Ordinal);
    }

    [TpmFact]
    public void CreateLoadSign_RoundTrip_SignaturesVerify()
    {
        // Arrange
        byte[] digest = SHA256.HashData("launcher round trip"u8);
        using TpmKeyStore store = NewStore();

        // Act
        ISigningKey created = store.Create();
        byte[] createdSignature = created.SignDigest(digest);
        ISigningKey loaded = store.Load();
        byte[] loadedSignature = loaded.SignDigest(digest);

        // Assert
        Assert.Equal(KeyClasses.Tpm, created.KeyClass);
        Assert.Equal(created.PublicKeySec1.ToArray(), loaded.PublicKeySec1.ToArray());
        SignatureAssert.Verifies(created.PublicKeySec1, digest, createdSignature);
        SignatureAssert.Verifies(loaded.PublicKeySec1, digest, loadedSignature);
    }

    [TpmFact]
    public void Create_Always_WritesTwoOwnerOnlyFiles()
    {
        // Act
        CreateKey();

        // Assert
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PublicPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PrivatePath));
        Assert.Empty(Directory.GetFiles(_keyDirectory, "*.tmp"));
    }

    [TpmFact]
    public void Create_WhenKeyExists_ThrowsIOExceptionAndKeepsKey()
    {
        // Arrange
        CreateKey();
        byte[] before = File.ReadAllBytes(PublicPath);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<IOException>(() => store.Create());
        Assert.Equal(before, File.ReadAllBytes(PublicPath));
    }

    [TpmFact]
    public void Load_NewContext_SameKeySigns()
    {
        // Arrange
        byte[] publicKey;
        using (TpmKeyStore first = NewStore())
        {
            publicKey = first.Create().PublicKeySec1.ToArray();
        }

        byte[] digest = SHA256.HashData("new context"u8);
        using TpmKeyStore second = NewStore();

        // Act
        ISigningKey key = second.Load();
        byte[] signature = key.SignDigest(digest);

        // Assert
        Assert.Equal(publicKey, key.PublicKeySec1.ToArray());
        SignatureAssert.Verifies(key.PublicKeySec1, digest, signature);
    }

    [TpmFact]
    public void Load_AfterSwtpmRestartWithSameState_SameKeySigns()
    {
        // Arrange
        byte[] publicKey;
        using (TpmKeyStore first = NewStore())
        {
            publicKey = first.Create().PublicKeySec1.ToArray();
        }

        _fixture.Tpm.Restart();
        byte[] digest = SHA256.HashData("after restart"u8);
        using TpmKeyStore second = NewStore();

        // Act
        ISigningKey key = second.Load();
        byte[] signature = key.SignDigest(digest);

        // Assert
        Assert.Equal(publicKey, key.PublicKeySec1.ToArray());
        SignatureAssert.Verifies(key.PublicKeySec1, digest, signature);
    }

    [TpmFact]
    public void SignDigest_SwtpmRestartedUnderOpenStore_FailsTransientlyThenRecovers()
    {
        // Arrange: the store's connection dies with the old swtpm process; the key itself is fine.
        using var store = new TpmKeyStore(_keyDirectory, _fixture.Tpm.Tcti);
        ISigningKey key = store.Create();
        byte[] digest = SHA256.HashData("reconnect"u8);
        _fixture.Tpm.Stop();

        try
        {
            // Act + Assert: not KeyUnusableException, which would declare the identity lost.
            IOException transient = Assert.Throws<IOException>(() => key.SignDigest(digest));
            Assert.IsNotType<KeyUnusableException>(transient.InnerException);
        }
        finally
        {
            _fixture.Tpm.Restart();
        }

        // The old TCTI names the old port, so recovery here is a store for the new one (the daemon re-reads it).
        using TpmKeyStore reopened = NewStore();
        ISigningKey again = reopened.Load();
        SignatureAssert.Verifies(again.PublicKeySec1, digest, again.SignDigest(digest));
    }

    [TpmFact]
    public void Load_TpmUnreachable_ThrowsIOExceptionNotKeyUnusable()
    {
        // Arrange
        CreateKey();
        using var store = new TpmKeyStore(_keyDirectory, "swtpm:host=127.0.0.1,port=1");

        // Act
        Exception thrown = Record.Exception(() => store.Load());

        // Assert
        Assert.IsType<IOException>(thrown);
    }

    [TpmFact]
    public void Load_NoFiles_ThrowsFileNotFound()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.False(store.KeyExists());
        Assert.Throws<FileNotFoundException>(() => store.Load());
    }

    [TpmFact]
    public void Load_PrivateFileMissing_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        File.Delete(PrivatePath);
        using TpmKeyStore store = NewStore();

        // Act
        KeyUnusableException thrown = Assert.Throws<KeyUnusableException>(() => store.Load());

        // Assert
        Assert.True(store.KeyExists());
        Assert.Contains(TpmKeyStore.PrivateFileName, thrown.Message, StringComparison.Ordinal);
    }

    [TpmFact]
    public void Load_PublicFileMissing_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        File.Delete(PublicPath);
        using TpmKeyStore store = NewStore();

        // Act
        KeyUnusableException thrown = Assert.Throws<KeyUnusableException>(() => store.Load());

        // Assert
        Assert.Contains(TpmKeyStore.PublicFileName, thrown.Message, StringComparison.Ordinal);
    }

    [TpmFact]
    public void Load_TruncatedPrivate_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        byte[] bytes = File.ReadAllBytes(PrivatePath);
        File.WriteAllBytes(PrivatePath, bytes[..(bytes.Length / 2)]);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_EmptyPublic_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        File.WriteAllBytes(PublicPath, []);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_FlippedByteInPrivate_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        byte[] bytes = File.ReadAllBytes(PrivatePath);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(PrivatePath, bytes);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_FlippedByteInPublicKeyPoint_ThrowsKeyUnusable()
    {
        // Arrange: the last bytes of the public area are the point's y coordinate.
        CreateKey();
        byte[] bytes = File.ReadAllBytes(PublicPath);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(PublicPath, bytes);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_SwappedPublicAndPrivate_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        byte[] publicBytes = File.ReadAllBytes(PublicPath);
        File.WriteAllBytes(PublicPath, File.ReadAllBytes(PrivatePath));
        File.WriteAllBytes(PrivatePath, publicBytes);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_RandomBytes_ThrowsKeyUnusable()
    {
        // Arrange
        File.WriteAllBytes(PublicPath, RandomNumberGenerator.GetBytes(92));
        File.WriteAllBytes(PrivatePath, RandomNumberGenerator.GetBytes(128));
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_OversizedFile_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        File.WriteAllBytes(PrivatePath, new byte[1 << 16]);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_SymbolicLinkInsteadOfFile_ThrowsKeyUnusable()
    {
        // Arrange
        CreateKey();
        string elsewhere = Path.Combine(_keyDirectory, "elsewhere.priv");
        File.Move(PrivatePath, elsewhere);
        File.CreateSymbolicLink(PrivatePath, elsewhere);
        using TpmKeyStore store = NewStore();

        // Act + Assert
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [TpmFact]
    public void Load_KeyFromAnotherTpm_ThrowsKeyUnusable()
    {
        // Arrange
        using (SwtpmInstance other = SwtpmInstance.Start())
        using (var foreign = new TpmKeyStore(_keyDirectory, other.Tcti))
        {
            foreign.Create();
        }

        using TpmKeyStore store = NewStore();

        // Act
        KeyUnusableException thrown = Assert.Throws<KeyUnusableException>(() => store.Load());

        // Assert
        Assert.Contains("rejected", thrown.Message, StringComparison.Ordinal);
    }

    [TpmFact]
    public void SignDigest_WrongDigestLength_ThrowsArgumentException()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        ISigningKey key = store.Create();

        // Act + Assert
        Assert.Throws<ArgumentException>(() => key.SignDigest(new byte[31]));
    }

    [TpmFact]
    public void Delete_ExistingKey_RemovesBothFiles()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        store.Create();

        // Act
        store.Delete();

        // Assert
        Assert.False(store.KeyExists());
        Assert.False(File.Exists(PublicPath));
        Assert.False(File.Exists(PrivatePath));
    }
}
