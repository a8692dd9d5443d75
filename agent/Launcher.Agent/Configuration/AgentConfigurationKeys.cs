using Launcher.Platform.Configuration;

namespace Launcher.Agent.Configuration;

/// <summary>Every key of launcher-agent's configuration (docs/configuration.md); anything else is refused at start.</summary>
internal static class AgentConfigurationKeys
{
    public const string Socket = "socket";
    public const string Presenter = "presenter";
    public const string UserKey = "userKey";
    public const string StateDir = "stateDir";
    public const string ExpectDaemonUid = "expectDaemonUid";
    public const string LogLevel = "logLevel";

    public static ConfigurationSchema Schema { get; } = new([Socket, Presenter, UserKey, StateDir, ExpectDaemonUid, LogLevel]);
}
