using Launcher.Contracts.Agents;

namespace Launcher.Contracts.Status;

/// <summary>One registered agent connection as <c>daemon/status</c> shows it.</summary>
public sealed record AgentPresenterInfo
{
    /// <summary>The agent connection's id (as in the logs of both sides).</summary>
    public required string AgentId { get; init; }

    /// <summary>The presenter the agent named at registration (<c>system</c>, <c>stdout</c>), or null.</summary>
    public string? Presenter { get; init; }

    /// <summary>What its presenter can do (all false for an agent that advertised nothing).</summary>
    public required PresenterCapabilities Capabilities { get; init; }
}
