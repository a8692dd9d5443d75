namespace Launcher.Platform.Tests.Configuration;

/// <summary>A temporary directory for configuration files, removed on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig()
    {
        Root = Directory.CreateTempSubdirectory("launcher-config-").FullName;
    }

    public string Root { get; }

    /// <summary>Writes a file with the given mode (0600 unless told).</summary>
    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = System.IO.Path.Combine(Root, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public string Copy(string fixture, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = System.IO.Path.Combine(Root, fixture);
        File.Copy(ConfigFixture.Path(fixture), path, overwrite: true);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
