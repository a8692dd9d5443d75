namespace Launcher.Platform.Notifications;

/// <summary>The notify-send argument vector for a notification built from untrusted text.</summary>
internal static class NotifySendCommand
{
    private const string AppName = "Launcher";

    /// <summary>
    /// The argument vector. "--" ends option parsing (checked against libnotify 0.8: GLib strips it), so a title
    /// that starts with '-' is text, not an option. The body is escaped because servers may read it as markup.
    /// </summary>
    public static IReadOnlyList<string> BuildArguments(string title, string body, string? url)
    {
        string summary = NotificationText.Truncate(NotificationText.StripControl(title), NotificationText.MaxTitleChars);
        string text = EscapeMarkup(NotificationText.BodyWithUrl(NotificationText.StripControl(body), url is null ? null : NotificationText.StripControl(url)));
        return [$"--app-name={AppName}", "--", summary, text];
    }

    /// <summary>Escapes the three characters the notification spec's body markup gives meaning to.</summary>
    public static string EscapeMarkup(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
