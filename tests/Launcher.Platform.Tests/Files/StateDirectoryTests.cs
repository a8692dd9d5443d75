using Launcher.Platform.Files;
using Launcher.Platform.Ipc;

namespace Launcher.Platform.Tests.Files;

public sealed class StateDirectoryTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _dir = Directory.CreateTempSubdirectory("launcher-statedir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ensure_Missing_CreatesItWithTheGivenMode()
    {
        string path = Path.Combine(_dir, "state");

        StateDirectory.Ensure(path, Private, ProcessIdentity.EffectiveUid);

        Assert.Equal(Private, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Ensure_WritableByOthers_IsRefused()
    {
        string path = Path.Combine(_dir, "open");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, Private | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);

        UnauthorizedAccessException refused = Assert.Throws<UnauthorizedAccessException>(() => StateDirectory.Ensure(path, Private, null));

        Assert.Contains("writable by group or others", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_OwnedBySomeoneElse_IsRefused()
    {
        string path = Path.Combine(_dir, "mine");
        Directory.CreateDirectory(path, Private);
        uint someoneElse = ProcessIdentity.EffectiveUid + 4242;

        UnauthorizedAccessException refused = Assert.Throws<UnauthorizedAccessException>(() => StateDirectory.Ensure(path, Private, someoneElse));

        Assert.Contains($"not {someoneElse}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_SymbolicLink_IsRefused()
    {
        string real = Path.Combine(_dir, "real");
        Directory.CreateDirectory(real, Private);
        string link = Path.Combine(_dir, "link");
        Directory.CreateSymbolicLink(link, real);

        UnauthorizedAccessException refused = Assert.Throws<UnauthorizedAccessException>(() => StateDirectory.Ensure(link, Private, null));

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
    }
}
