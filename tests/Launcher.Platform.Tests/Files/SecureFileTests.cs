using Launcher.Platform.Files;
using Launcher.Platform.Tests.MacOS;

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

    [Fact(Timeout = 10000)]
    public async Task ReadAllBytes_OfAFifo_IsRefusedWithoutBlocking()
    {
        string fifo = Path.Combine(_dir, "fifo");
        Fifo.Create(fifo);

        Task<byte[]> read = Task.Run(() => SecureFile.ReadAllBytes(fifo));
        try
        {
            IOException refused = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Contains("FIFO", refused.Message, StringComparison.Ordinal);
            Assert.Contains("not a regular file", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (!read.IsCompleted)
            {
                Fifo.ReleaseBlockedReader(fifo);
            }
        }
    }

    [Fact]
    public void ReadAllBytes_OfADirectory_IsRefused()
    {
        string directory = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(directory);

        IOException refused = Assert.Throws<IOException>(() => SecureFile.ReadAllBytes(directory));

        Assert.Contains("a directory, not a regular file", refused.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void ReadAllBytes_OfADevice_IsRefused()
    {
        IOException refused = Assert.Throws<IOException>(() => SecureFile.ReadAllBytes("/dev/zero"));

        Assert.Contains("character device", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_ThroughADanglingSymbolicLink_IsRefusedNotNotFound()
    {
        string link = Path.Combine(_dir, "dangling");
        File.CreateSymbolicLink(link, Path.Combine(_dir, "nowhere"));

        IOException refused = Assert.Throws<IOException>(() => SecureFile.ReadAllBytes(link));

        Assert.IsNotType<FileNotFoundException>(refused);
        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateNewAtomic_OverASymbolicLink_IsRefusedAndTheTargetIsUntouched()
    {
        string target = Path.Combine(_dir, "target");
        File.WriteAllBytes(target, [9]);
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);

        Assert.Throws<IOException>(() => SecureFile.CreateNewAtomic(link, [1]));

        Assert.Equal([9], File.ReadAllBytes(target));
        Assert.True(SecureFile.IsSymbolicLink(link));
        Assert.Equal(["link", "target"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void FileStatus_IdentityOfAHandle_MatchesTheIdentityOfItsPath()
    {
        string path = Path.Combine(_dir, "same");
        File.WriteAllBytes(path, [1]);
        string other = Path.Combine(_dir, "other");
        File.WriteAllBytes(other, [2]);

        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path);
        FileIdentity opened = FileStatus.FIdentity(handle);

        Assert.Equal(FileKind.Regular, opened.Kind);
        Assert.True(opened.IsSameFileAs(FileStatus.LIdentity(path)));
        Assert.False(opened.IsSameFileAs(FileStatus.LIdentity(other)));
        Assert.NotEqual(0, opened.Inode);
    }
}
