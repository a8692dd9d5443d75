using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>
/// Facts a machine reports about itself (at enrolment and through <c>machine/facts</c>). The server records them as
/// reported, never as verified. A fact that could not be read is null.
/// </summary>
public sealed record FleetFacts : IRpcValidatable
{
    /// <summary>The hardware serial number.</summary>
    public string? Serial { get; init; }

    /// <summary>The hardware (platform) UUID.</summary>
    public string? HardwareUuid { get; init; }

    /// <summary>The model name.</summary>
    public string? Model { get; init; }

    /// <summary>The operating system's name.</summary>
    public string? OsName { get; init; }

    /// <summary>The operating system's version.</summary>
    public string? OsVersion { get; init; }

    /// <summary>The host name.</summary>
    public string? Hostname { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        foreach (string? value in (string?[])[Serial, HardwareUuid, Model, OsName, OsVersion, Hostname])
        {
            if (value is { Length: > FleetLimits.MaxFactLength })
            {
                return $"Each fact is at most {FleetLimits.MaxFactLength} characters.";
            }
        }

        return null;
    }
}
