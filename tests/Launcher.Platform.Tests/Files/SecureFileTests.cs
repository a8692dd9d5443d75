using Launcher.Platform.Files;

namespace Launcher.Platform.Tests.Files;

public sealed class SecureFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("launcher-securefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteAllBytesAtomic_WritesMode0600_AndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "key");

        SecureFile.WriteAllBytesAtomic(path, [1, 2, 3]);
        SecureFile.WriteAllBytesAtomic(path, [4, 5]);

        Assert.Equal([4, 5], SecureFile.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["key"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void ReadAllBytes_ThroughASymbolicLink_IsRefused()
    {
        string target = Path.Combine(_dir, "target");
        File.WriteAllBytes(target, [9]);
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);

        IOException refused = Assert.Throws<IOException>(() => SecureFile.ReadAllBytes(link));

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteAllBytesAtomic_OverASymbolicLink_ReplacesTheLinkNotItsTarget()
    {
        string target = Path.Combine(_dir, "target");
        File.WriteAllBytes(target, [9]);
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);

        SecureFile.WriteAllBytesAtomic(link, [1]);

        Assert.Equal([9], File.ReadAllBytes(target));
        Assert.False(SecureFile.IsSymbolicLink(link));
        Assert.Equal([1], SecureFile.ReadAllBytes(link));
    }

    [Fact]
    public void CreateNewAtomic_WhenTheFileExists_IsRefusedAndKeepsIt()
    {
        string path = Path.Combine(_dir, "key");
        File.WriteAllBytes(path, [7]);

        Assert.Throws<IOException>(() => SecureFile.CreateNewAtomic(path, [1]));

        Assert.Equal([7], File.ReadAllBytes(path));
    }

    [Fact]
    public void ReadAllBytes_OverTheCap_IsRefused()
    {
        string path = Path.Combine(_dir, "big");
        File.WriteAllBytes(path, new byte[100]);

        Assert.Throws<InvalidDataException>(() => SecureFile.ReadAllBytes(path, maxBytes: 10));
    }

    [Fact]
    public void ReadAllBytes_Missing_IsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SecureFile.ReadAllBytes(Path.Combine(_dir, "nothing")));
    }
}
