namespace Launcher.Contracts.Identity;

/// <summary>The result of <c>identity/prove</c>.</summary>
public sealed record ProveResult
{
    /// <summary>The proof: a compact JWS (ES256).</summary>
    public required string Jws { get; init; }

    /// <summary>The class of the key that signed it.</summary>
    public required string KeyClass { get; init; }

    /// <summary>When the proof expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
