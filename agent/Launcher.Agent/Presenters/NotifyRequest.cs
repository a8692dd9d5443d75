using Launcher.Contracts.Notifications;
using Launcher.Platform.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>
/// The arguments of one <c>Notify</c> call, built from untrusted text: control characters dropped, lengths bounded,
/// markup escaped when the server reads markup. Action keys are <c>default</c> (a click on the notification) and
/// <c>action-N</c> for the N-th action, mapped back to the sender's id on <c>ActionInvoked</c>.
/// </summary>
internal sealed record NotifyRequest(string Summary, string Body, IReadOnlyList<string> Actions, int ExpireTimeoutMs)
{
    public static NotifyRequest Build(ShowNotificationParams notification, bool serverHasActions, bool serverReadsMarkup, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notification);
        string summary = NotificationText.Truncate(NotificationText.StripControl(notification.Title), NotificationText.MaxTitleChars);
        string? url = notification.Url is null ? null : NotificationText.StripControl(notification.Url);
        string body = NotificationText.BodyWithUrl(NotificationText.StripControl(notification.Body), url);
        if (serverReadsMarkup)
        {
            body = EscapeMarkup(body);
        }

        var actions = new List<string>();
        if (serverHasActions)
        {
            actions.Add(FreedesktopNotifications.DefaultActionKey);
            actions.Add(url is null ? "Show" : "Open");
            IReadOnlyList<NotificationAction> own = notification.Actions ?? [];
            for (int i = 0; i < own.Count && i < NotificationLimits.MaxActions; i++)
            {
                actions.Add(FreedesktopNotifications.ActionKeyPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                actions.Add(NotificationText.Truncate(NotificationText.StripControl(own[i].Label), NotificationLimits.MaxActionLength));
            }
        }

        TimeSpan left = notification.ExpiresAt - now;
        int timeout = left < FreedesktopNotifications.MaxExplicitTimeout ? (int)Math.Max(1, left.TotalMilliseconds) : -1;
        return new NotifyRequest(summary, body, actions, timeout);
    }

    /// <summary>The sender's action id for an <c>ActionInvoked</c> key; null for the default action or an unknown key.</summary>
    public static string? ActionIdFor(string key, IReadOnlyList<NotificationAction>? actions)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (actions is null || !key.StartsWith(FreedesktopNotifications.ActionKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        return int.TryParse(key.AsSpan(FreedesktopNotifications.ActionKeyPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            && index < actions.Count
            ? actions[index].Id
            : null;
    }

    /// <summary>Escapes the three characters the notification spec's body markup gives meaning to.</summary>
    public static string EscapeMarkup(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
