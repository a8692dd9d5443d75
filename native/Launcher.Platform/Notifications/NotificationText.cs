using System.Globalization;
using System.Text;
using Launcher.Contracts.Notifications;

namespace Launcher.Platform.Notifications;

/// <summary>Length limits and clean-up shared by the notification presenters; the daemon enforces its own limits as well.</summary>
internal static class NotificationText
{
    public const int MaxTitleChars = 120;
    public const int MaxBodyChars = 1000;
    public const int MaxUrlChars = 2048;

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="max"/> characters without splitting a
    /// character (surrogate pair or combining sequence), marking the cut with an ellipsis.</summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        var builder = new StringBuilder(max);
        TextElementEnumerator elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            string element = elements.GetTextElement();
            if (builder.Length + element.Length > max - 1)
            {
                break;
            }

            builder.Append(element);
        }

        return builder.Append('\u2026').ToString();
    }

    /// <summary>The body as shown: the text, then the link (if any) on its own line, since neither presenter can
    /// make the notification itself open a URL.</summary>
    public static string BodyWithUrl(string body, string? url)
    {
        string text = Truncate(body, MaxBodyChars);
        return string.IsNullOrWhiteSpace(url) ? text : text + "\n" + Truncate(url.Trim(), MaxUrlChars);
    }

    /// <summary>Drops control characters except line feeds, and the invisible and direction-changing characters the
    /// daemon refuses (<see cref="NotificationTextRules.IsForbidden"/>; a second line of defence for notifications
    /// stored before the daemon refused them), so nothing invisible reaches the user.</summary>
    public static string StripControl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (rune.Value == '\n' || (!Rune.IsControl(rune) && !NotificationTextRules.IsForbidden(rune)))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
