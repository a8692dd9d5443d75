namespace Launcher.Contracts.Fleet;

/// <summary>
/// The result of <c>fleet/enroll</c>, <c>fleet/authenticate</c> and <c>fleet/activate</c>: the machine's id, its
/// SPIFFE certificate and what the server grants it. After it the connection is authenticated.
/// </summary>
public sealed record EnrollResult
{
    /// <summary>The machine id the server assigned (kept across re-enrolments).</summary>
    public required string MachineId { get; init; }

    /// <summary><c>spiffe://&lt;trust-domain&gt;/machine/&lt;machineId&gt;</c>.</summary>
    public required string SpiffeId { get; init; }

    /// <summary>The machine certificate (PEM) for the machine key.</summary>
    public required string Certificate { get; init; }

    /// <summary>The fleet CA certificate (PEM).</summary>
    public required string CaCertificate { get; init; }

    /// <summary>When the machine certificate expires (Unix seconds).</summary>
    public required long NotAfter { get; init; }

    /// <summary>When to renew it (half its lifetime; Unix seconds).</summary>
    public required long RenewAfter { get; init; }

    /// <summary>The evidence the server holds for the key (<see cref="AttestationLevels"/>).</summary>
    public required string AttestationLevel { get; init; }

    /// <summary>What the server's policy grants this machine.</summary>
    public required IReadOnlyList<string> Grants { get; init; }

    /// <summary>The TPM maker named by the EK certificate, when the level is <c>tpm-ek-verified</c>.</summary>
    public string? TpmMaker { get; init; }

    /// <summary>
    /// Present only in a <c>fleet/enroll</c> result when TPM evidence was sent: the enrolment is pending, no machine
    /// exists yet, the other members are empty (<c>machineId</c> "", <c>notAfter</c> 0), and the daemon answers with
    /// <c>fleet/activate</c> on the same connection.
    /// </summary>
    public ActivationChallenge? Activation { get; init; }
}
