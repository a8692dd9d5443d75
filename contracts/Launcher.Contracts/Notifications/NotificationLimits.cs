namespace Launcher.Contracts.Notifications;

/// <summary>Bounds on a notification's fields, checked by the daemon before anything is stored.</summary>
public static class NotificationLimits
{
    /// <summary>Longest title, in UTF-16 code units.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>Longest body.</summary>
    public const int MaxBodyLength = 4096;

    /// <summary>Longest URL.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Most actions (buttons) on one notification.</summary>
    public const int MaxActions = 4;

    /// <summary>Longest action id or label.</summary>
    public const int MaxActionLength = 64;

    /// <summary>Longest lifetime a sender may ask for: 30 days.</summary>
    public const int MaxExpiresInSeconds = 30 * 24 * 3600;
}
