namespace Launcher.Daemon.Fleet;

/// <summary>fleet.json in the state directory: the server this machine is enrolled with and its machine certificate's
/// dates. The certificate and the pinned CA are PEM files beside it.</summary>
internal sealed record FleetEnrolment
{
    /// <summary>The normalised server URL (<see cref="FleetServerUrl.Audience"/>).</summary>
    public required string Server { get; init; }

    public required string MachineId { get; init; }

    public required string SpiffeId { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required DateTimeOffset RenewAfter { get; init; }

    public required DateTimeOffset EnrolledAt { get; init; }

    /// <summary>True when fleet-ca.pem pins the server's CA; false: the system trust store.</summary>
    public required bool CaPinned { get; init; }

    /// <summary>The thumbprint of the machine key the certificate was issued for.</summary>
    public required string KeyThumbprint { get; init; }
}
