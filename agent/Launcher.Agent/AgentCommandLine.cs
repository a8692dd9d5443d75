using System.CommandLine;
using Launcher.Agent.Presenters;
using Launcher.Agent.UserKeys;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent;

/// <summary>
/// <c>launcher-agent run [--socket PATH] [--presenter system|stdout] [--user-key none|auto|software|secure-enclave]
/// [--state-dir DIR] [--expect-daemon-uid N] [--log-level LEVEL]</c>.
/// </summary>
internal static class AgentCommandLine
{
    public static RootCommand Build()
    {
        var socket = new Option<string?>("--socket") { Description = "launcherd's socket (default: /run/launcher/launcherd.sock; macOS /var/run/launcher/launcherd.sock)." };
        var presenter = new Option<string>("--presenter") { Description = "How notifications are shown: system (D-Bus org.freedesktop.Notifications on Linux; the notifier app, else osascript, on macOS) or stdout (one JSON line each).", DefaultValueFactory = _ => PresenterFactory.System };
        presenter.AcceptOnlyFromAmong(PresenterFactory.System, PresenterFactory.Stdout);
        var userKey = new Option<string>("--user-key") { Description = "The user-scoped fallback key: none, auto (Secure Enclave when available, else software), software, secure-enclave.", DefaultValueFactory = _ => UserKeyMode.None };
        userKey.AcceptOnlyFromAmong(UserKeyMode.All);
        var stateDir = new Option<string?>("--state-dir") { Description = "The agent's state (seen notifications, software user key). Default: $XDG_STATE_HOME/launcher or ~/.local/state/launcher; macOS ~/Library/Application Support/Launcher." };
        var expectUid = new Option<uint?>("--expect-daemon-uid") { Description = "Also accept a daemon running as this uid (besides root and this user), e.g. a test daemon." };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error (logs go to standard error).", DefaultValueFactory = _ => LogLevel.Information };

        var run = new Command("run", "Connect to launcherd, register, show notifications; reconnect with backoff until SIGTERM or Ctrl-C.")
        {
            socket, presenter, userKey, stateDir, expectUid, logLevel,
        };
        run.SetAction(parse =>
        {
            var options = new AgentOptions
            {
                SocketPath = Path.GetFullPath(parse.GetValue(socket) ?? DefaultPaths.DaemonSocket(dev: false)),
                Presenter = parse.GetValue(presenter)!,
                UserKeyMode = parse.GetValue(userKey)!,
                StateDirectory = Path.GetFullPath(parse.GetValue(stateDir) ?? DefaultPaths.AgentStateDirectory()),
                ExpectedDaemonUid = parse.GetValue(expectUid),
            };
            return AgentHost.Run(options, parse.GetValue(logLevel));
        });

        return new RootCommand("launcher-agent: shows Launcher notifications in this user's session and holds the optional user key") { run };
    }
}
