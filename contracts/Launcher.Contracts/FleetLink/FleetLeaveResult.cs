namespace Launcher.Contracts.FleetLink;

/// <summary>The result of the local <c>fleet/leave</c>.</summary>
public sealed record FleetLeaveResult
{
    /// <summary>The server the machine left; null when it was not enrolled.</summary>
    public string? Server { get; init; }

    /// <summary>The machine id it had there.</summary>
    public string? MachineId { get; init; }
}
