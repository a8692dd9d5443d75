namespace Launcher.Contracts.Fleet;

/// <summary>The state of a server notification for one user, as the admin API shows it.</summary>
public static class FleetOutcomes
{
    /// <summary>Not reported yet.</summary>
    public const string Pending = "pending";

    /// <summary>Shown; no interaction reported.</summary>
    public const string Shown = "shown";

    /// <summary>Clicked (or one of its actions).</summary>
    public const string Clicked = "clicked";

    /// <summary>Dismissed.</summary>
    public const string Dismissed = "dismissed";

    /// <summary>Could not be shown.</summary>
    public const string Failed = "failed";

    /// <summary>Expired before it could be shown.</summary>
    public const string Expired = "expired";

    /// <summary>Stored on the machine; no user outcome yet (for all-users notifications before an agent showed it).</summary>
    public const string Submitted = "submitted";

    /// <summary>Whether a daemon may report <paramref name="outcome"/>.</summary>
    public static bool IsReportable(string outcome) => outcome is Shown or Clicked or Dismissed or Failed or Expired or Submitted;

    /// <summary>Whether <paramref name="outcome"/> is final (a later report does not replace it).</summary>
    public static bool IsFinal(string outcome) => outcome is Clicked or Dismissed or Failed or Expired;
}
