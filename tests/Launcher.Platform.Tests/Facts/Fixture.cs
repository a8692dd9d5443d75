namespace Launcher.Platform.Tests.Facts;

/// <summary>Reads a fixture file copied beside the test assembly.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Facts", "Fixtures", name));
}
