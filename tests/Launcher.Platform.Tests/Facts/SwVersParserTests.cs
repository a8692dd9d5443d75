using Launcher.Platform.Facts;

namespace Launcher.Platform.Tests.Facts;

public sealed class SwVersParserTests
{
    [Fact]
    public void Sonoma_NameAndVersion()
    {
        (string? name, string? version) = SwVersParser.Parse(Fixture.Read("sw_vers-sonoma.txt"));

        Assert.Equal("macOS", name);
        Assert.Equal("14.4.1", version);
    }

    [Fact]
    public void Catalina_OldProductName()
    {
        (string? name, string? version) = SwVersParser.Parse(Fixture.Read("sw_vers-catalina.txt"));

        Assert.Equal("Mac OS X", name);
        Assert.Equal("10.15.7", version);
    }

    [Fact]
    public void EmptyOutput_IsNull()
    {
        (string? name, string? version) = SwVersParser.Parse(string.Empty);

        Assert.Null(name);
        Assert.Null(version);
    }
}
