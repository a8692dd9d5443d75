namespace Launcher.Agent;

/// <summary>What <c>launcher-agent run</c> was told.</summary>
internal sealed class AgentOptions
{
    public required string SocketPath { get; init; }

    /// <summary><c>system</c> or <c>stdout</c>.</summary>
    public required string Presenter { get; init; }

    /// <summary>One of <see cref="UserKeys.UserKeyMode"/>.</summary>
    public required string UserKeyMode { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>A daemon uid accepted besides root and the agent's own (a test daemon run by another user).</summary>
    public uint? ExpectedDaemonUid { get; init; }

    /// <summary>The configuration file that was read, if any.</summary>
    public string? ConfigurationFile { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
