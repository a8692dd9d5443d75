using Launcher.Platform.Files;

namespace Launcher.Platform.Tests.Files;

/// <summary>Files are created with exactly mode 0600 whatever the umask (set with fchmod on the handle, not by open's variadic mode).</summary>
[Collection(UmaskCollection.Name)]
public sealed class SecureFileModeTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("launcher-securefile-mode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0b000_000_000)] // 000: the create mode alone would give 0600 anyway
    [InlineData(0b010_111_111)] // 277: the create mode alone would give 0400
    [InlineData(0b010_000_000)] // 200: the create mode alone would give 0400
    public void WriteAllBytesAtomic_AnyUmask_CreatesExactly0600(int umask)
    {
        string path = Path.Combine(_dir, "key");
        using (new ProcessUmask((UnixFileMode)umask))
        {
            SecureFile.WriteAllBytesAtomic(path, [1, 2, 3]);
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.Equal([1, 2, 3], SecureFile.ReadAllBytes(path));
    }

    [Fact]
    public void CreateNewAtomic_UnderUmask277_CreatesExactly0600()
    {
        string path = Path.Combine(_dir, "new");
        using (new ProcessUmask((UnixFileMode)0b010_111_111))
        {
            SecureFile.CreateNewAtomic(path, [9]);
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
    }
}
