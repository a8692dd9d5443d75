using Launcher.Platform.Notifications;

namespace Launcher.Platform.Tests.Notifications;

public sealed class NotifySendCommandTests
{
    [Fact]
    public void Arguments_AppNameThenEndOfOptionsThenTitleAndBody()
    {
        IReadOnlyList<string> arguments = NotifySendCommand.BuildArguments("Backup done", "All files saved.", url: null);

        Assert.Equal(["--app-name=Launcher", "--", "Backup done", "All files saved."], arguments);
    }

    [Fact]
    public void TitleStartingWithDash_IsAfterEndOfOptions()
    {
        IReadOnlyList<string> arguments = NotifySendCommand.BuildArguments("--urgency=critical", "-x", url: null);

        Assert.Equal("--", arguments[1]);
        Assert.Equal("--urgency=critical", arguments[2]);
        Assert.Equal("-x", arguments[3]);
    }

    [Fact]
    public void Body_MarkupIsEscaped()
    {
        IReadOnlyList<string> arguments = NotifySendCommand.BuildArguments("t", "<b>bold</b> & <a href=\"x\">", url: null);

        Assert.Equal("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;", arguments[3]);
    }

    [Fact]
    public void Url_IsAppendedOnItsOwnLineAndEscaped()
    {
        IReadOnlyList<string> arguments = NotifySendCommand.BuildArguments("t", "Read this", "https://example.test/?a=1&b=2");

        Assert.Equal("Read this\nhttps://example.test/?a=1&amp;b=2", arguments[3]);
    }

    [Fact]
    public void ControlCharacters_AreDroppedButLineFeedsKept()
    {
        IReadOnlyList<string> arguments = NotifySendCommand.BuildArguments("a\u0007b", "line1\nline2\u001b[31m", url: null);

        Assert.Equal("ab", arguments[2]);
        Assert.Equal("line1\nline2[31m", arguments[3]);
    }
}
