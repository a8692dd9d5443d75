namespace Launcher.Contracts.Status;

/// <summary>The result of <c>daemon/status</c>.</summary>
public sealed record StatusResult
{
    /// <summary>The daemon's version.</summary>
    public required string Version { get; init; }

    /// <summary>Seconds since the daemon started.</summary>
    public required double UptimeSeconds { get; init; }

    /// <summary>The daemon's process id.</summary>
    public required int Pid { get; init; }

    /// <summary>True when the daemon runs with <c>--dev</c> (unprivileged, state under the working directory).</summary>
    public required bool DevMode { get; init; }

    /// <summary>Connected agents by uid.</summary>
    public required IReadOnlyList<AgentCount> Agents { get; init; }

    /// <summary>Open connections of any kind.</summary>
    public required int Connections { get; init; }

    /// <summary>Notifications not yet acknowledged by every target.</summary>
    public required int PendingNotifications { get; init; }

    /// <summary>The machine key's class (see <see cref="KeyClasses"/>); null while the identity is not loaded.</summary>
    public string? KeyClass { get; init; }

    /// <summary>The identity state: <c>ready</c>, <c>lost</c> or <c>unavailable</c>.</summary>
    public string? IdentityState { get; init; }

    /// <summary>The fleet link; null when the daemon has no fleet link service.</summary>
    public Launcher.Contracts.FleetLink.FleetLinkStatus? Fleet { get; init; }

    /// <summary>The outbox's health as found at start (null from daemons before it existed).</summary>
    public OutboxHealth? Outbox { get; init; }

    /// <summary>Warnings an admin should see (e.g. a software key where hardware was expected).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
