namespace Launcher.Fleet.Store;

/// <summary>An enrolment token as listed (never its secret or hash).</summary>
internal sealed class EnrolmentTokenRow
{
    public string Id { get; set; } = string.Empty;

    public long UsesLeft { get; set; }

    public long ExpiresAt { get; set; }

    public string? Grp { get; set; }

    /// <summary>The weakest attestation level a machine may enrol with using this token; null: any.</summary>
    public string? MinLevel { get; set; }

    public long CreatedAt { get; set; }

    public long Revoked { get; set; }
}
