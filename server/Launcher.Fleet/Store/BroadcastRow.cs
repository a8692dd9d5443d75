namespace Launcher.Fleet.Store;

/// <summary>One row of <c>broadcasts</c>: a notification to every machine or to a group; each machine's copy is a row of <c>notifications</c>.</summary>
internal sealed class BroadcastRow
{
    public string Id { get; set; } = string.Empty;

    public long AllMachines { get; set; }

    public string? Grp { get; set; }

    public long? Uid { get; set; }

    public long AllUsers { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    public string? Url { get; set; }

    /// <summary>Machines the broadcast was stored for (not revoked when it was created).</summary>
    public long Machines { get; set; }

    public long CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;
}
