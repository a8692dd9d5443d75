namespace Launcher.Contracts.FleetLink;

/// <summary>The params of the local <c>fleet/leave</c>.</summary>
public sealed record FleetLeaveParams
{
    /// <summary>Must be true: the server URL, the pinned CA and the machine certificate are forgotten.</summary>
    public required bool Confirm { get; init; }
}
