namespace Launcher.Contracts.FleetLink;

/// <summary>The fleet link as the daemon sees it: the result of the local <c>fleet/status</c> and the <c>fleet</c>
/// member of <c>daemon/status</c>.</summary>
public sealed record FleetLinkStatus
{
    /// <summary>True when the machine is enrolled with a fleet server.</summary>
    public required bool Enrolled { get; init; }

    /// <summary>True while an authenticated connection to the server is open.</summary>
    public required bool Connected { get; init; }

    /// <summary>The normalised server URL; null when not enrolled.</summary>
    public string? Server { get; init; }

    /// <summary>The machine id; null when not enrolled.</summary>
    public string? MachineId { get; init; }

    /// <summary>The SPIFFE id of the machine certificate.</summary>
    public string? SpiffeId { get; init; }

    /// <summary>True when a fleet CA is pinned; false when the server is checked against the system trust.</summary>
    public bool CaPinned { get; init; }

    /// <summary>When the machine certificate expires.</summary>
    public DateTimeOffset? CertificateNotAfter { get; init; }

    /// <summary>When the daemon renews the certificate.</summary>
    public DateTimeOffset? RenewAfter { get; init; }

    /// <summary>Since when the link is in its current state (connected, or not connected).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The last failure of the link, safe to show (null after a successful connection).</summary>
    public string? LastError { get; init; }

    /// <summary>The server's error code of the last failure, when the server answered with one.</summary>
    public int? LastErrorCode { get; init; }

    /// <summary>When the next connection attempt is due while disconnected.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Notification outcomes waiting to be reported to the server.</summary>
    public int PendingOutcomes { get; init; }

    /// <summary>The server the daemon's configuration names (<c>fleet:server</c>, normalised); null when none is
    /// configured.</summary>
    public string? ConfiguredServer { get; init; }

    /// <summary>How the enrolment the configuration asks for stands: one of <see cref="FleetConfiguredStates"/>;
    /// null when no server is configured.</summary>
    public string? ConfiguredState { get; init; }

    /// <summary>Why the server refused the configured enrolment (when <see cref="ConfiguredState"/> is
    /// <see cref="FleetConfiguredStates.Refused"/>), safe to show; the token never appears in it.</summary>
    public string? ConfiguredRefusal { get; init; }
}
