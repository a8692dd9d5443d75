namespace Launcher.Fleet.Store;

/// <summary>An admin token as listed (never its secret or hash).</summary>
internal sealed class AdminTokenRow
{
    public string Id { get; set; } = string.Empty;

    public long CreatedAt { get; set; }

    /// <summary>Last API request or console use, to within <see cref="FleetServerLimits.AdminTokenLastUsedResolution"/>; null: never used.</summary>
    public long? LastUsedAt { get; set; }

    public long Revoked { get; set; }

    public long? RevokedAt { get; set; }
}
