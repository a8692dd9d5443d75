using Launcher.Contracts;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;

namespace Launcher.Platform.Tests.MacOS;

/// <summary>
/// The store's file handling, which runs anywhere: the Enclave itself is only reached after the blob file passes
/// these checks. The signing path needs a Mac and is covered by the Swift package's own tests.
/// </summary>
public sealed class SecureEnclaveKeyStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("launcher-se-").FullName;

    private string KeyPath => Path.Combine(_directory, "machine.key");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_NoKeyFile_IsFileNotFound()
    {
        using var store = NewStore();

        Assert.False(store.KeyExists());
        Assert.Throws<FileNotFoundException>(() => store.Load());
    }

    [Fact]
    public void Load_EmptyBlob_IsUnusableNotMissing()
    {
        WriteBlob([], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var store = NewStore();

        Assert.True(store.KeyExists());
        Assert.Throws<KeyUnusableException>(() => store.Load());
    }

    [Fact]
    public void Load_BlobReadableByOthers_IsRefused()
    {
        WriteBlob([1, 2, 3], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        using var store = NewStore();

        UnauthorizedAccessException error = Assert.Throws<UnauthorizedAccessException>(() => store.Load());
        Assert.Contains("0600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SymbolicLink_IsRefused()
    {
        string target = Path.Combine(_directory, "elsewhere.key");
        File.WriteAllBytes(target, [1, 2, 3]);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(KeyPath, target);
        using var store = NewStore();

        Assert.True(store.KeyExists());
        Assert.Throws<UnauthorizedAccessException>(() => store.Load());
    }

    [Fact]
    public void Create_WhenKeyExists_RefusesToReplaceIt()
    {
        WriteBlob([1, 2, 3], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var store = NewStore();

        Assert.Throws<IOException>(() => store.Create());
        Assert.Equal([1, 2, 3], File.ReadAllBytes(KeyPath));
    }

    [Fact]
    public void Delete_RemovesTheBlob()
    {
        WriteBlob([1, 2, 3], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var store = NewStore();

        store.Delete();

        Assert.False(store.KeyExists());
    }

    [Fact]
    public void KeyClass_IsTheOneGiven()
    {
        using var store = new SecureEnclaveKeyStore(KeyPath, KeyClasses.UserSecureEnclave, NativeAccess.AfterFirstUnlock);

        Assert.Equal(KeyClasses.UserSecureEnclave, store.KeyClass);
    }

    [Fact]
    public void CheckAvailability_WithoutTheNativeLibrary_SaysWhy()
    {
        if (File.Exists(NativeKeyLibrary.LibraryPath))
        {
            return; // a shim is deployed beside the tests; its availability is the shim's own business
        }

        using var store = NewStore();

        KeyStoreAvailability availability = store.CheckAvailability();

        Assert.False(availability.IsAvailable);
        Assert.Contains("not installed", availability.Reason, StringComparison.Ordinal);
    }

    private SecureEnclaveKeyStore NewStore() => new(KeyPath, KeyClasses.SecureEnclave, NativeAccess.Always);

    private void WriteBlob(byte[] blob, UnixFileMode mode)
    {
        File.WriteAllBytes(KeyPath, blob);
        File.SetUnixFileMode(KeyPath, mode);
    }
}
