namespace Launcher.Daemon.Configuration;

/// <summary>
/// The fleet link's configuration (<c>fleet:server</c>, <c>fleet:enrolmentToken</c>, <c>fleet:caFile</c>), validated
/// at start and registered as a singleton for the fleet link to read. All are optional: a machine without a server
/// runs stand-alone; an enrolled machine needs no token; a machine not yet enrolled that has a server and a token
/// enrols itself (docs/configuration.md).
/// </summary>
internal sealed class FleetSettings
{
    public static FleetSettings None { get; } = new();

    /// <summary>The fleet server, normalised to <c>https://host[:port]</c> (lower-case host, default port omitted).</summary>
    public Uri? Server { get; init; }

    /// <summary>A token for the first enrolment; never logged or shown.</summary>
    public string? EnrolmentToken { get; init; }

    /// <summary>The configured path of the fleet CA to pin (<c>fleet:caFile</c>), for messages.</summary>
    public string? CaFile { get; init; }

    /// <summary>The PEM certificates of <see cref="CaFile"/>, read and checked at start; null: the system trust.</summary>
    public string? CaCertificatePem { get; init; }

    public bool IsConfigured => Server is not null;

    /// <summary>True when the daemon enrols itself while it is not enrolled: a server and a token are configured.</summary>
    public bool CanEnrol => Server is not null && EnrolmentToken is not null;

    public override string ToString() => Server is null
        ? "no fleet server"
        : $"fleet server {Server} (token {(EnrolmentToken is null ? "absent" : "set")}; CA {CaFile ?? "from the system trust"})";
}
