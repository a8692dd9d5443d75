using Launcher.Rpc;

namespace Launcher.Contracts.Identity;

/// <summary>
/// The params of <c>userKey/sign</c> (daemon to agent). The agent builds the proof itself from these fields, so its
/// key only ever signs proofs of the fixed user-key proof type, never bytes chosen by the caller.
/// </summary>
public sealed record UserKeySignParams : IRpcValidatable
{
    /// <summary>The <c>aud</c> claim.</summary>
    public required string Audience { get; init; }

    /// <summary>The <c>nonce</c> claim.</summary>
    public required string Nonce { get; init; }

    /// <summary>The <c>jti</c> claim.</summary>
    public required string ProofId { get; init; }

    /// <summary>The <c>iat</c> claim (Unix seconds).</summary>
    public required long IssuedAt { get; init; }

    /// <summary>The <c>exp</c> claim (Unix seconds).</summary>
    public required long ExpiresAt { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Audience.Length is 0 or > 256 || Nonce.Length is < 8 or > 256 || ProofId.Length is 0 or > 64)
        {
            return "audience, nonce or proofId has a bad length.";
        }

        return ExpiresAt <= IssuedAt || ExpiresAt - IssuedAt > ProofFormat.MaxLifetimeSeconds ? "The proof's lifetime is out of range." : null;
    }
}
