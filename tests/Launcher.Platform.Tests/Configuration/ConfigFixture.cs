namespace Launcher.Platform.Tests.Configuration;

/// <summary>The property-list fixtures copied beside the test assembly.</summary>
internal static class ConfigFixture
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path(name));
}
