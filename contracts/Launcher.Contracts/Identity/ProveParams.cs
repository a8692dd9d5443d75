using Launcher.Rpc;

namespace Launcher.Contracts.Identity;

/// <summary>The params of <c>identity/prove</c>.</summary>
public sealed record ProveParams : IRpcValidatable
{
    /// <summary>Who the proof is for (the <c>aud</c> claim).</summary>
    public required string Audience { get; init; }

    /// <summary>The verifier's single-use nonce (the <c>nonce</c> claim).</summary>
    public required string Nonce { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Audience.Length is 0 or > 256)
        {
            return "audience must be 1 to 256 characters.";
        }

        return Nonce.Length is < 8 or > 256 ? "nonce must be 8 to 256 characters." : null;
    }
}
