namespace Launcher.Contracts.Notifications;

/// <summary>What became of a notification in the user's session.</summary>
public static class NotificationOutcomes
{
    /// <summary>Shown; the user has not interacted (or the presenter cannot tell).</summary>
    public const string Shown = "shown";

    /// <summary>The user clicked it (or one of its actions).</summary>
    public const string Clicked = "clicked";

    /// <summary>The user dismissed it.</summary>
    public const string Dismissed = "dismissed";

    /// <summary>The agent could not show it.</summary>
    public const string Failed = "failed";

    /// <summary>Whether <paramref name="outcome"/> is one of the above.</summary>
    public static bool IsKnown(string outcome) => outcome is Shown or Clicked or Dismissed or Failed;
}
