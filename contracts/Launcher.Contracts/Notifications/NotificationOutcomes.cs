namespace Launcher.Contracts.Notifications;

/// <summary>
/// What became of a notification in the user's session. <see cref="Submitted"/> and <see cref="Shown"/> are interim:
/// a later acknowledgement with a final outcome (<see cref="Clicked"/>, <see cref="Dismissed"/>,
/// <see cref="Expired"/>, <see cref="Failed"/>) replaces them; a final outcome is never replaced.
/// </summary>
public static class NotificationOutcomes
{
    /// <summary>Handed to the operating system, which accepted it; whether the user saw it is unknown (for example
    /// the macOS <c>osascript</c> fallback, which macOS may drop silently).</summary>
    public const string Submitted = "submitted";

    /// <summary>The notification server confirmed that it is showing it; the user has not interacted yet.</summary>
    public const string Shown = "shown";

    /// <summary>The user clicked it, or one of its actions (then <c>actionId</c> names it).</summary>
    public const string Clicked = "clicked";

    /// <summary>The user dismissed it.</summary>
    public const string Dismissed = "dismissed";

    /// <summary>The notification server took it down after its display timeout, without any interaction.</summary>
    public const string Expired = "expired";

    /// <summary>The agent could not show it.</summary>
    public const string Failed = "failed";

    /// <summary>Whether <paramref name="outcome"/> is one of the above.</summary>
    public static bool IsKnown(string? outcome) => outcome is Submitted or Shown or Clicked or Dismissed or Expired or Failed;

    /// <summary>Whether <paramref name="outcome"/> is final: nothing replaces it.</summary>
    public static bool IsFinal(string? outcome) => outcome is Clicked or Dismissed or Expired or Failed;

    /// <summary>
    /// Whether an acknowledgement with <paramref name="next"/> replaces the recorded <paramref name="current"/>:
    /// only a later stage does (submitted, then shown, then a final outcome), so a repeated or late interim ack
    /// never hides a click.
    /// </summary>
    public static bool Supersedes(string next, string current) => Stage(next) > Stage(current);

    private static int Stage(string? outcome) => outcome switch
    {
        Submitted => 1,
        Shown => 2,
        Clicked or Dismissed or Expired or Failed => 3,
        _ => 0,
    };
}
