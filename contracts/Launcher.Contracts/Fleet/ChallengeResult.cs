namespace Launcher.Contracts.Fleet;

/// <summary>The result of <c>fleet/challenge</c>: a single-use nonce for the next proof on this connection.</summary>
public sealed record ChallengeResult
{
    /// <summary>32 random bytes, base64url without padding; valid once, for <see cref="FleetLimits.NonceLifetimeSeconds"/>.</summary>
    public required string Nonce { get; init; }

    /// <summary>The server's public URL: the <c>aud</c> the proof must carry.</summary>
    public required string Audience { get; init; }

    /// <summary>When the nonce stops being accepted (Unix seconds).</summary>
    public required long ExpiresAt { get; init; }
}
