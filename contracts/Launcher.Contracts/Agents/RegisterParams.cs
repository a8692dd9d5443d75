using Launcher.Rpc;

namespace Launcher.Contracts.Agents;

/// <summary>The params of <c>agent/register</c>.</summary>
public sealed record RegisterParams : IRpcValidatable
{
    /// <summary>
    /// The uid the agent believes it runs as. Optional and never trusted: the daemon uses the kernel's uid and denies
    /// the call when a claimed uid differs from it.
    /// </summary>
    public uint? Uid { get; init; }

    /// <summary>The agent's version.</summary>
    public required string AgentVersion { get; init; }

    /// <summary>How the agent shows notifications (<c>system</c> or <c>stdout</c>), for status output.</summary>
    public string? Presenter { get; init; }

    /// <summary>What the agent's presenter can do; absent (older agents) means nothing beyond showing.</summary>
    public PresenterCapabilities? Capabilities { get; init; }

    /// <summary>The agent's user-scoped fallback key, when it has one.</summary>
    public UserKeyInfo? UserKey { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (AgentVersion.Length is 0 or > 64)
        {
            return "agentVersion must be 1 to 64 characters.";
        }

        return Presenter is { Length: > 32 } ? "presenter must be at most 32 characters." : UserKey?.Validate();
    }
}
