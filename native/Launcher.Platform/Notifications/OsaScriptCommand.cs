using System.Text;

namespace Launcher.Platform.Notifications;

/// <summary>The AppleScript that shows a notification through osascript, built from untrusted text.</summary>
internal static class OsaScriptCommand
{
    /// <summary>The AppleScript source: <c>display notification "body" with title "title"</c>.</summary>
    public static string BuildScript(string title, string body, string? url)
    {
        string text = NotificationText.BodyWithUrl(body, url);
        string heading = NotificationText.Truncate(title, NotificationText.MaxTitleChars);
        return $"display notification {Quote(text)} with title {Quote(heading)}";
    }

    /// <summary>
    /// An AppleScript string literal for <paramref name="text"/>: inside double quotes AppleScript treats only
    /// backslash and double quote as special, plus the \n \r \t escapes; other control characters are dropped so
    /// nothing invisible reaches the user.
    /// </summary>
    public static string Quote(string text)
    {
        var literal = new StringBuilder(text.Length + 2);
        literal.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\':
                    literal.Append(@"\\");
                    break;
                case '"':
                    literal.Append("\\\"");
                    break;
                case '\n':
                    literal.Append(@"\n");
                    break;
                case '\r':
                    literal.Append(@"\r");
                    break;
                case '\t':
                    literal.Append(@"\t");
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        literal.Append(c);
                    }

                    break;
            }
        }

        return literal.Append('"').ToString();
    }
}
