namespace Launcher.Contracts.Fleet;

/// <summary>The result of <c>identity/prove</c> on the link.</summary>
public sealed record FleetProveResult
{
    /// <summary>The machine proof: a compact JWS (ES256).</summary>
    public required string Proof { get; init; }
}
