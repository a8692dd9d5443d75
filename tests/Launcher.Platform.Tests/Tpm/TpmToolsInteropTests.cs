using Launcher.Platform.Keys;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>The key files are standard tpm2-tools objects: an operator can inspect (and a recovery tool can load)
/// them without our code, and the storage root key template is the documented one.</summary>
[Collection(SwtpmCollection.Name)]
public sealed class TpmToolsInteropTests : IDisposable
{
    private const string SrkAttributes = "restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda";
    private readonly SwtpmFixture _fixture;
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("launcher-tpm-tools-").FullName;

    public TpmToolsInteropTests(SwtpmFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        Directory.Delete(_keyDirectory, recursive: true);
    }

    [TpmFact]
    public void KeyFiles_LoadedByTpm2Tools_UnderTheDocumentedPrimary()
    {
        // Arrange
        using (var store = new TpmKeyStore(_keyDirectory, _fixture.Tpm.Tcti))
        {
            store.Create();
        }

        string srkContext = Path.Combine(_keyDirectory, "srk.ctx");
        string keyContext = Path.Combine(_keyDirectory, "key.ctx");
        string unique = Path.Combine(_keyDirectory, "unique.bin");
        File.WriteAllBytes(unique, new byte[64]);

        // Act: the exact command docs/identity.md gives (with "-u -" fed from a file of 64 zero bytes).
        // tpm2-tools leave their objects loaded (they rely on a resource manager, which swtpm lacks), and swtpm has
        // three object slots: flush after every step.
        _fixture.Tpm.Tool("bash", "-c", $"tpm2_createprimary -C o -g sha256 -G ecc256:aes128cfb -a '{SrkAttributes}' -u - -c '{srkContext}' < '{unique}'");
        _fixture.Tpm.Tool("tpm2_flushcontext", "-t");
        try
        {
            _fixture.Tpm.Tool(
                "tpm2_load",
                "-C", srkContext,
                "-u", Path.Combine(_keyDirectory, TpmKeyStore.PublicFileName),
                "-r", Path.Combine(_keyDirectory, TpmKeyStore.PrivateFileName),
                "-c", keyContext);
            _fixture.Tpm.Tool("tpm2_flushcontext", "-t");
            string description = _fixture.Tpm.Tool("tpm2_readpublic", "-c", keyContext);

            // Assert
            Assert.Contains("fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|sign", description, StringComparison.Ordinal);
            Assert.Contains("NIST p256", description, StringComparison.Ordinal);
            Assert.Contains("ecdsa", description, StringComparison.Ordinal);
            Assert.DoesNotContain("restricted", description, StringComparison.Ordinal);
        }
        finally
        {
            _fixture.Tpm.Tool("tpm2_flushcontext", "-t");
        }
    }

    [TpmFact]
    public void Load_PersistentStorageKeyPresent_UsesItAndLeavesItInPlace()
    {
        // Arrange: the same primary made persistent at 0x81000001, as a provisioned machine would have it.
        using (var store = new TpmKeyStore(_keyDirectory, _fixture.Tpm.Tcti))
        {
            store.Create();
        }

        string srkContext = Path.Combine(_keyDirectory, "srk.ctx");
        string unique = Path.Combine(_keyDirectory, "unique.bin");
        File.WriteAllBytes(unique, new byte[64]);
        _fixture.Tpm.Tool("bash", "-c", $"tpm2_createprimary -C o -g sha256 -G ecc256:aes128cfb -a '{SrkAttributes}' -u - -c '{srkContext}' < '{unique}'");
        _fixture.Tpm.Tool("tpm2_evictcontrol", "-C", "o", "-c", srkContext, "0x81000001");
        _fixture.Tpm.Tool("tpm2_flushcontext", "-t");
        try
        {
            // Act
            byte[] signature;
            using (var store = new TpmKeyStore(_keyDirectory, _fixture.Tpm.Tcti))
            {
                ISigningKey key = store.Load();
                signature = key.SignDigest(new byte[32]);
                SignatureAssert.Verifies(key.PublicKeySec1, new byte[32], signature);
            }

            // Assert
            Assert.Contains("0x81000001", _fixture.Tpm.Tool("tpm2_getcap", "handles-persistent"), StringComparison.Ordinal);
            Assert.Equal(string.Empty, _fixture.Tpm.Tool("tpm2_getcap", "handles-transient").Trim());
        }
        finally
        {
            _fixture.Tpm.Tool("tpm2_evictcontrol", "-C", "o", "-c", "0x81000001");
        }
    }
}
