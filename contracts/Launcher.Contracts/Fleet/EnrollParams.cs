using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>fleet/enroll</c>.</summary>
public sealed record EnrollParams : IRpcValidatable
{
    /// <summary>The enrolment token the admin created (<c>lfe_…</c>); never logged.</summary>
    public required string Token { get; init; }

    /// <summary>A machine proof over a <c>fleet/challenge</c> nonce of this connection, without <c>machine_id</c>.</summary>
    public required string Proof { get; init; }

    /// <summary>The machine's facts as the daemon reads them.</summary>
    public FleetFacts? Facts { get; init; }

    /// <summary>TPM evidence for the machine key; null for Secure Enclave and software keys.</summary>
    public TpmEvidenceParams? Attestation { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Token.Length is 0 or > FleetLimits.MaxTokenLength)
        {
            return $"token must be 1 to {FleetLimits.MaxTokenLength} characters.";
        }

        if (Proof.Length is 0 or > FleetLimits.MaxProofLength)
        {
            return $"proof must be 1 to {FleetLimits.MaxProofLength} characters.";
        }

        return Facts?.Validate() ?? Attestation?.Validate();
    }
}
