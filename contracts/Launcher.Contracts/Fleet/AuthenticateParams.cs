using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>fleet/authenticate</c>.</summary>
public sealed record AuthenticateParams : IRpcValidatable
{
    /// <summary>A machine proof with <c>machine_id</c> over a <c>fleet/challenge</c> nonce of this connection.</summary>
    public required string Proof { get; init; }

    /// <inheritdoc />
    public string? Validate() => Proof.Length is 0 or > FleetLimits.MaxProofLength ? $"proof must be 1 to {FleetLimits.MaxProofLength} characters." : null;
}
