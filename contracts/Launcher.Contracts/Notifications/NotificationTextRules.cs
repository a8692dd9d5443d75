using System.Globalization;
using System.Text;

namespace Launcher.Contracts.Notifications;

/// <summary>
/// What the daemon accepts in a notification's text and link (docs/threat-model.md, "Invisible and
/// direction-reversing characters"). Text with characters a user cannot see, or that reorder what they see, is
/// refused rather than silently changed, so the sender learns of it and nothing is lost unnoticed.
/// </summary>
public static class NotificationTextRules
{
    /// <summary>
    /// The first character of <paramref name="text"/> that a title or body must not carry, or null when there is none:
    /// a format character (Unicode category Cf: zero-width spaces, the byte-order mark, bidirectional overrides and
    /// isolates, the soft hyphen, tag characters) other than the zero-width joiner and non-joiner (which emoji
    /// sequences and Persian and Indic scripts need), and the line and paragraph separators U+2028 and U+2029.
    /// </summary>
    public static Rune? FindForbidden(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (IsForbidden(rune))
            {
                return rune;
            }
        }

        return null;
    }

    /// <summary>True for the characters <see cref="FindForbidden"/> reports.</summary>
    public static bool IsForbidden(Rune rune)
    {
        if (rune.Value is 0x200C or 0x200D)
        {
            return false;
        }

        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>
    /// The link as the daemon stores and forwards it: an absolute http or https URL with nothing but printable
    /// characters, without user information, in its normalised form (lower-case scheme and host, the host in IDNA
    /// (punycode) form so look-alike letters show as such, default port dropped, the rest percent-encoded). Null with
    /// a reason when the URL is refused.
    /// </summary>
    public static string? NormalizeUrl(string url, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(url);
        reason = null;
        if (url.Length is 0 or > NotificationLimits.MaxUrlLength)
        {
            reason = $"url must be 1 to {NotificationLimits.MaxUrlLength} characters.";
            return null;
        }

        // Uri would drop some of these silently (a newline, a tab, surrounding spaces); refuse them instead. A space
        // inside the URL is percent-encoded by normalisation; any other white space is refused.
        if (url[0] == ' ' || url[^1] == ' ')
        {
            reason = "url must not start or end with a space.";
            return null;
        }

        foreach (Rune rune in url.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || (Rune.IsWhiteSpace(rune) && rune.Value != ' ') || IsForbidden(rune))
            {
                reason = $"url must not contain control, invisible or separator characters (found U+{rune.Value:X4}).";
                return null;
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            reason = "url must be an absolute http or https URL.";
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            reason = "url must not contain user information (user@host).";
            return null;
        }

        string port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        string normalized = uri.Scheme + "://" + uri.IdnHost + port + uri.PathAndQuery + uri.Fragment;
        if (normalized.Length > NotificationLimits.MaxUrlLength)
        {
            reason = $"url is longer than {NotificationLimits.MaxUrlLength} characters once normalised.";
            return null;
        }

        return normalized;
    }
}
