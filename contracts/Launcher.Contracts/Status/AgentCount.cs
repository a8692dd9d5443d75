namespace Launcher.Contracts.Status;

/// <summary>How many agent connections a uid has.</summary>
public sealed record AgentCount
{
    /// <summary>The user id (from the kernel).</summary>
    public required uint Uid { get; init; }

    /// <summary>Registered agent connections of that uid (one per login session, normally).</summary>
    public required int Connections { get; init; }

    /// <summary>Each of those connections with its presenter and what the presenter can do.</summary>
    public IReadOnlyList<AgentPresenterInfo> Presenters { get; init; } = [];
}
