namespace Launcher.Contracts.Identity;

/// <summary>Facts about the machine. A fact that could not be read is null, never guessed.</summary>
public sealed record MachineFactsInfo
{
    /// <summary>The hardware serial number.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The hardware (platform) UUID.</summary>
    public string? HardwareUuid { get; init; }

    /// <summary>The model name.</summary>
    public string? Model { get; init; }

    /// <summary>The operating system's name.</summary>
    public string? OsName { get; init; }

    /// <summary>The operating system's version.</summary>
    public string? OsVersion { get; init; }

    /// <summary>Linux /etc/machine-id: an installation id, not a hardware id (it changes with a reinstall).</summary>
    public string? OsInstallationId { get; init; }
}
