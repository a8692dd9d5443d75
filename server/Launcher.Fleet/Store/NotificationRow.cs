namespace Launcher.Fleet.Store;

/// <summary>One row of <c>notifications</c>: durable before it is delivered.</summary>
internal sealed class NotificationRow
{
    public string Id { get; set; } = string.Empty;

    public string MachineId { get; set; } = string.Empty;

    public long? Uid { get; set; }

    public long AllUsers { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    public string? Url { get; set; }

    public long CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public long? DeliveredAt { get; set; }

    /// <summary>The broadcast this is one machine's copy of; null for a notification to one machine.</summary>
    public string? BroadcastId { get; set; }
}
