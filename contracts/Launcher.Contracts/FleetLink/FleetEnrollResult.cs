namespace Launcher.Contracts.FleetLink;

/// <summary>The result of the local <c>fleet/enroll</c>, once the state is stored.</summary>
public sealed record FleetEnrollResult
{
    /// <summary>The normalised server URL (<c>https://host[:port]</c>).</summary>
    public required string Server { get; init; }

    /// <summary>The machine id the server assigned.</summary>
    public required string MachineId { get; init; }

    /// <summary>The SPIFFE id of the machine certificate.</summary>
    public required string SpiffeId { get; init; }

    /// <summary>When the machine certificate expires.</summary>
    public required DateTimeOffset CertificateNotAfter { get; init; }

    /// <summary>When the daemon renews the certificate.</summary>
    public required DateTimeOffset RenewAfter { get; init; }

    /// <summary>The grants the server's policy gives this machine now.</summary>
    public IReadOnlyList<string> Grants { get; init; } = [];

    /// <summary>The attestation level the server recorded (<c>tpm-ek-verified</c>, …, <c>software</c>).</summary>
    public string? AttestationLevel { get; init; }

    /// <summary>The TPM maker the server read from the EK certificate, when the level is <c>tpm-ek-verified</c>.</summary>
    public string? TpmMaker { get; init; }
}
