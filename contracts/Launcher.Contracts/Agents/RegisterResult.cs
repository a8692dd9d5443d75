namespace Launcher.Contracts.Agents;

/// <summary>The result of <c>agent/register</c>.</summary>
public sealed record RegisterResult
{
    /// <summary>The uid the daemon registered this agent for (the kernel's, never the message's).</summary>
    public required uint Uid { get; init; }

    /// <summary>An id for this agent connection, for logs on both sides.</summary>
    public required string AgentId { get; init; }

    /// <summary>Notifications waiting for this user; they are sent right after this result.</summary>
    public required int Pending { get; init; }
}
