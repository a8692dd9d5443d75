using System.Text;
using Launcher.Platform.Notifications;

namespace Launcher.Platform.Tests.Notifications;

public sealed class OsaScriptCommandTests
{
    [Fact]
    public void Quote_PlainText_IsWrappedInDoubleQuotes()
    {
        Assert.Equal("\"Disk almost full\"", OsaScriptCommand.Quote("Disk almost full"));
    }

    [Fact]
    public void Quote_EscapesBackslashAndDoubleQuote()
    {
        Assert.Equal(@"""C:\\path \""quoted\"" end""", OsaScriptCommand.Quote("C:\\path \"quoted\" end"));
    }

    [Fact]
    public void Quote_LineBreaksAndTabs_UseAppleScriptEscapes()
    {
        Assert.Equal(@"""a\nb\rc\td""", OsaScriptCommand.Quote("a\nb\rc\td"));
    }

    [Fact]
    public void Quote_OtherControlCharacters_AreDropped()
    {
        Assert.Equal("\"ab\"", OsaScriptCommand.Quote("a\u0000\u0007\u001bb"));
    }

    [Fact]
    public void Quote_InjectionAttempt_StaysInsideOneLiteral()
    {
        const string hostile = "\" & (do shell script \"id\") & \"";

        string literal = OsaScriptCommand.Quote(hostile);

        Assert.Equal(hostile, Unquote(literal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\\")]
    [InlineData("\\\"")]
    [InlineData("\"\"\"")]
    [InlineData("ends with backslash\\")]
    [InlineData("unicode: caf\u00e9 \u2603 \U0001F600")]
    [InlineData("mixed \\n literal and \n real")]
    public void Quote_RoundTripsThroughAnAppleScriptReader(string text)
    {
        Assert.Equal(text, Unquote(OsaScriptCommand.Quote(text)));
    }

    [Fact]
    public void BuildScript_HasTitleAndBodyWithUrlOnItsOwnLine()
    {
        string script = OsaScriptCommand.BuildScript("Update \"ready\"", "Restart to finish.", "https://example.test/u?a=1&b=2");

        Assert.Equal(
            "display notification \"Restart to finish.\\nhttps://example.test/u?a=1&b=2\" with title \"Update \\\"ready\\\"\"",
            script);
    }

    [Fact]
    public void BuildScript_LongTitle_IsTruncatedWithEllipsis()
    {
        string script = OsaScriptCommand.BuildScript(new string('t', 500), "b", url: null);

        Assert.Contains(new string('t', NotificationText.MaxTitleChars - 1) + "\u2026\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('t', NotificationText.MaxTitleChars), script, StringComparison.Ordinal);
    }

    // Reads one AppleScript string literal the way the AppleScript compiler does: it must start and end with an
    // unescaped double quote and contain no other unescaped one.
    private static string Unquote(string literal)
    {
        Assert.True(literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"', "not a literal: " + literal);
        var text = new StringBuilder();
        for (int i = 1; i < literal.Length - 1; i++)
        {
            char c = literal[i];
            Assert.NotEqual('"', c);
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            Assert.True(i + 1 < literal.Length - 1, "dangling backslash in " + literal);
            char escaped = literal[++i];
            text.Append(escaped switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '\\' => '\\',
                '"' => '"',
                _ => throw new InvalidDataException($"unknown escape \\{escaped}"),
            });
        }

        return text.ToString();
    }
}
