using System.Globalization;
using System.Text;

namespace Launcher.Rpc;

/// <summary>
/// Makes peer-supplied text safe to put in a log line: control characters (CR, LF, ESC and the rest of Cc), format
/// characters (Cf: bidirectional overrides, zero-width characters) and the line and paragraph separators become
/// visible escapes (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\u001B</c>), a backslash is doubled so an escape cannot be
/// forged, and long text is cut. A peer can then neither forge a log line nor drive the reader's terminal.
/// </summary>
public static class RpcLogText
{
    /// <summary>The longest text kept, in UTF-16 code units before escaping.</summary>
    public const int MaxChars = 256;

    /// <summary>The text with every character that could break or disguise a log line escaped.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        bool cut = text.Length > MaxChars;
        if (cut)
        {
            text = text[..MaxChars];
            if (char.IsHighSurrogate(text[^1]))
            {
                text = text[..^1];
            }
        }

        if (!NeedsEscaping(text))
        {
            return cut ? text + "…" : text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (Rune rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (IsUnsafe(rune))
                    {
                        builder.Append(rune.IsBmp ? "\\u" + rune.Value.ToString("X4", CultureInfo.InvariantCulture) : "\\U" + rune.Value.ToString("X8", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }

                    break;
            }
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (rune.Value == '\\' || IsUnsafe(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnsafe(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse;
}
