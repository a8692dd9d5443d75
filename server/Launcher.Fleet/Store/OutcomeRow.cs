namespace Launcher.Fleet.Store;

/// <summary>One row of <c>notification_outcomes</c>: what became of a notification for one user.</summary>
internal sealed class OutcomeRow
{
    public string NotificationId { get; set; } = string.Empty;

    public long Uid { get; set; }

    public string Outcome { get; set; } = string.Empty;

    public string? Action { get; set; }

    public long? At { get; set; }
}
