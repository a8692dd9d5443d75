namespace Launcher.Contracts.Fleet;

/// <summary>The result of <c>notification/send</c> on the link: the daemon committed it to its outbox.</summary>
public sealed record FleetNotificationResult
{
    /// <summary>True once stored durably (also for a repeated id).</summary>
    public required bool Accepted { get; init; }
}
