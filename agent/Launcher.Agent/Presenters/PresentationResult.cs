namespace Launcher.Agent.Presenters;

/// <summary>What happened to one notification, with a reason that is safe to log (no notification text).</summary>
internal sealed record PresentationResult(bool Shown, string Reason)
{
    /// <summary>The outcome reported to the daemon when the notification reached the user's session.</summary>
    public const string ShownOutcome = "shown";

    /// <summary>The outcome reported to the daemon when it did not.</summary>
    public const string FailedOutcome = "failed";

    public string Outcome => Shown ? ShownOutcome : FailedOutcome;
}
