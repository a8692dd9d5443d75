using Launcher.Rpc;

namespace Launcher.Contracts.FleetLink;

/// <summary>The params of the local <c>fleet/enroll</c>: enrol this machine with a fleet server.</summary>
public sealed record FleetEnrollParams : IRpcValidatable
{
    /// <summary>The fleet server's URL (<c>https://host[:port]</c>; a path is ignored).</summary>
    public required string Server { get; init; }

    /// <summary>The enrolment token the server's admin created (never logged).</summary>
    public required string Token { get; init; }

    /// <summary>The fleet CA to pin (PEM); null to validate the server against the system trust store.</summary>
    public string? CaCertificatePem { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Server.Length is 0 or > FleetLinkLimits.MaxServerUrlLength)
        {
            return $"server must be 1 to {FleetLinkLimits.MaxServerUrlLength} characters.";
        }

        if (Token.Length is 0 or > FleetLinkLimits.MaxTokenLength)
        {
            return $"token must be 1 to {FleetLinkLimits.MaxTokenLength} characters.";
        }

        return CaCertificatePem is { Length: 0 or > FleetLinkLimits.MaxCaPemLength }
            ? $"caCertificatePem must be 1 to {FleetLinkLimits.MaxCaPemLength} characters."
            : null;
    }
}
