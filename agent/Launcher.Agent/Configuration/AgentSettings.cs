using Launcher.Agent.Presenters;
using Launcher.Agent.UserKeys;
using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Configuration;

/// <summary>Turns the agent's layered configuration into <see cref="AgentOptions"/>, each value checked.</summary>
internal static class AgentSettings
{
    public static readonly string[] Presenters = [PresenterFactory.System, PresenterFactory.Stdout];
    public static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    public static (AgentOptions Options, LogLevel LogLevel) Read(LayeredConfiguration config, string? configurationFile = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        long? expectUid = config.GetInteger(AgentConfigurationKeys.ExpectDaemonUid, 0, uint.MaxValue - 1);
        var options = new AgentOptions
        {
            SocketPath = config.GetAbsolutePath(AgentConfigurationKeys.Socket) ?? DefaultPaths.DaemonSocket(dev: false),
            Presenter = config.GetChoice(AgentConfigurationKeys.Presenter, Presenters) ?? PresenterFactory.System,
            UserKeyMode = config.GetChoice(AgentConfigurationKeys.UserKey, UserKeyMode.All) ?? UserKeyMode.None,
            StateDirectory = config.GetAbsolutePath(AgentConfigurationKeys.StateDir) ?? DefaultPaths.AgentStateDirectory(),
            ExpectedDaemonUid = expectUid is long uid ? (uint)uid : null,
            ConfigurationFile = configurationFile,
        };
        LogLevel level = Enum.Parse<LogLevel>(config.GetChoice(AgentConfigurationKeys.LogLevel, LogLevels) ?? nameof(LogLevel.Information));
        return (options, level);
    }
}
