using System.CommandLine;
using Launcher.Agent.Configuration;
using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;

namespace Launcher.Agent;

/// <summary>
/// <c>launcher-agent run [--config FILE] [--socket PATH] [--presenter system|stdout] [--user-key none|auto|software|secure-enclave]
/// [--state-dir DIR] [--expect-daemon-uid N] [--log-level LEVEL]</c>. Flags override the configuration file and macOS
/// managed preferences (docs/configuration.md).
/// </summary>
internal static class AgentCommandLine
{
    public const int ExitConfiguration = ConfigurationException.ExitCode;

    public static RootCommand Build()
    {
        var config = new Option<string?>("--config") { Description = "The configuration file (default: /etc/launcher/launcher-agent.json if it exists; macOS /Library/Application Support/Launcher/launcher-agent.json)." };
        var socket = new Option<string?>("--socket") { Description = "launcherd's socket (default: /run/launcher/launcherd.sock; macOS /var/run/launcher/launcherd.sock)." };
        var presenter = new Option<string?>("--presenter") { Description = "How notifications are shown: system (default: D-Bus org.freedesktop.Notifications on Linux; the notifier app, else osascript, on macOS) or stdout (one JSON line each)." };
        var userKey = new Option<string?>("--user-key") { Description = "The user-scoped fallback key: none (default), auto (Secure Enclave when available, else software), software, secure-enclave." };
        var stateDir = new Option<string?>("--state-dir") { Description = "The agent's state (seen notifications, software user key). Default: $XDG_STATE_HOME/launcher or ~/.local/state/launcher; macOS ~/Library/Application Support/Launcher." };
        var expectUid = new Option<string?>("--expect-daemon-uid") { Description = "Also accept a daemon running as this uid (besides root and this user), e.g. a test daemon." };
        var logLevel = new Option<string?>("--log-level") { Description = "Trace, Debug, Information (default), Warning, Error (logs go to standard error)." };

        var run = new Command("run", "Connect to launcherd, register, show notifications; reconnect with backoff until SIGTERM or Ctrl-C.")
        {
            config, socket, presenter, userKey, stateDir, expectUid, logLevel,
        };
        run.SetAction(parse =>
        {
            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            void Flag(Option<string?> option, string key, bool isPath = false)
            {
                if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is string value)
                {
                    flags[key] = isPath ? Path.GetFullPath(value) : value;
                }
            }

            Flag(socket, AgentConfigurationKeys.Socket, isPath: true);
            Flag(presenter, AgentConfigurationKeys.Presenter);
            Flag(userKey, AgentConfigurationKeys.UserKey);
            Flag(stateDir, AgentConfigurationKeys.StateDir, isPath: true);
            Flag(expectUid, AgentConfigurationKeys.ExpectDaemonUid);
            Flag(logLevel, AgentConfigurationKeys.LogLevel);

            string? explicitFile = parse.GetValue(config);
            AgentOptions options;
            Microsoft.Extensions.Logging.LogLevel level;
            try
            {
                LayeredConfiguration configuration = ConfigurationLoader.Load(
                    new ConfigurationRequest
                    {
                        ExplicitFile = explicitFile is null ? null : Path.GetFullPath(explicitFile),
                        DefaultFile = ConfigurationPaths.AgentFile,
                        ManagedPreferences = ConfigurationPaths.ManagedPreferences(ConfigurationPaths.AgentPreferencesDomain),
                        CommandLine = flags,
                        AllowedOwner = ProcessIdentity.EffectiveUid,
                    },
                    AgentConfigurationKeys.Schema);
                string? file = explicitFile is not null ? Path.GetFullPath(explicitFile)
                    : File.Exists(ConfigurationPaths.AgentFile) ? ConfigurationPaths.AgentFile : null;
                (options, level) = AgentSettings.Read(configuration, file);
            }
            catch (ConfigurationException ex)
            {
                Console.Error.WriteLine("launcher-agent: configuration error: " + ex.Message);
                return ExitConfiguration;
            }

            return AgentHost.Run(options, level);
        });

        return new RootCommand("launcher-agent: shows Launcher notifications in this user's session and holds the optional user key") { run };
    }
}
