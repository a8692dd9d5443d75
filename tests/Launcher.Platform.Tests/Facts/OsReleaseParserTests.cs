using Launcher.Platform.Facts;

namespace Launcher.Platform.Tests.Facts;

public sealed class OsReleaseParserTests
{
    [Fact]
    public void Debian_NameAndVersionId()
    {
        (string? name, string? version) = OsReleaseParser.NameAndVersion(Fixture.Read("os-release-debian.txt"));

        Assert.Equal("Debian GNU/Linux", name);
        Assert.Equal("12", version);
    }

    [Fact]
    public void SingleQuotes_KeepDoubleQuotesLiterally()
    {
        IReadOnlyDictionary<string, string> values = OsReleaseParser.Parse(Fixture.Read("os-release-tricky.txt"));

        Assert.Equal("Example \"Quoted\" Linux", values["NAME"]);
    }

    [Fact]
    public void UnquotedValue_EndsAtWhitespace()
    {
        IReadOnlyDictionary<string, string> values = OsReleaseParser.Parse(Fixture.Read("os-release-tricky.txt"));

        Assert.Equal("2024.1", values["VERSION_ID"]);
    }

    [Fact]
    public void DoubleQuotes_HonourShellEscapes()
    {
        IReadOnlyDictionary<string, string> values = OsReleaseParser.Parse(Fixture.Read("os-release-tricky.txt"));

        Assert.Equal("Says \"hi\" and costs $0 \\ ok", values["PRETTY_NAME"]);
    }

    [Fact]
    public void BrokenAndInvalidLines_AreSkipped()
    {
        IReadOnlyDictionary<string, string> values = OsReleaseParser.Parse(Fixture.Read("os-release-tricky.txt"));

        Assert.False(values.ContainsKey("BROKEN"));
        Assert.False(values.ContainsKey("1BAD"));
        Assert.Equal("example-later", values["ID"]);
    }

    [Fact]
    public void EmptyValues_AreNull()
    {
        (string? name, string? version) = OsReleaseParser.NameAndVersion("NAME=\"\"\nVERSION_ID=\n");

        Assert.Null(name);
        Assert.Null(version);
    }

    [Fact]
    public void BackslashBeforeOrdinaryCharacter_InDoubleQuotes_IsLiteral()
    {
        IReadOnlyDictionary<string, string> values = OsReleaseParser.Parse("NAME=\"a\\nb\"");

        Assert.Equal("a\\nb", values["NAME"]);
    }
}
