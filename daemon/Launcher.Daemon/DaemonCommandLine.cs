using System.CommandLine;
using Launcher.Daemon.Configuration;
using Launcher.Daemon.Ipc;
using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon;

/// <summary>
/// <c>launcherd run [--config FILE] [--socket PATH] [--state-dir DIR] [--dev] [--key-store KIND] [--tpm-tcti TCTI] …</c>.
/// Flags override the configuration file and macOS managed preferences (docs/configuration.md); a flag is a
/// configuration key, checked by the same rules.
/// </summary>
internal static class DaemonCommandLine
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitStartFailed = 3;
    public const int ExitConfiguration = ConfigurationException.ExitCode;

    public static RootCommand Build()
    {
        var config = new Option<string?>("--config") { Description = "The configuration file (default: /etc/launcher/launcherd.json if it exists; macOS /Library/Application Support/Launcher/launcherd.json)." };
        var socket = new Option<string?>("--socket") { Description = "The Unix socket to listen on (default: /run/launcher/launcherd.sock; macOS /var/run/launcher/launcherd.sock)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "The root-owned state directory (default: /var/lib/launcher; macOS /var/db/launcher)." };
        var dev = new Option<bool>("--dev") { Description = "Run unprivileged: state and socket under ./.launcher-dev, the daemon's own uid is admin." };
        var keyStore = new Option<string?>("--key-store") { Description = "Where the machine key lives: auto (default), secure-enclave, tpm, software." };
        var tcti = new Option<string?>("--tpm-tcti") { Description = "The TPM's TCTI (Linux; default device:/dev/tpmrm0)." };
        var userKeyFallback = new Option<bool>("--allow-user-key-fallback") { Description = "Let a logged-in user's agent sign proofs when the machine key is unusable." };
        var userKeyUids = new Option<string?>("--user-key-uids") { Description = "Uids whose agents may serve the user-key fallback, comma-separated, in order (default: the console user only)." };
        var logLevel = new Option<string?>("--log-level") { Description = "Trace, Debug, Information (default), Warning, Error." };
        var requirement = new Option<string?>("--client-requirement") { Description = "macOS: the code-signing requirement non-root clients must satisfy." };
        var redelivery = new Option<string?>("--redelivery-seconds") { Description = "How often unacknowledged notifications are re-sent to connected agents (default 60)." };
        var fleetServer = new Option<string?>("--fleet-server") { Description = "The fleet server, https://host[:port]." };

        var run = new Command("run", "Run the daemon in the foreground (launchd and systemd start it this way).")
        {
            config, socket, stateDir, dev, keyStore, tcti, userKeyFallback, userKeyUids, logLevel, redelivery, requirement, fleetServer,
        };
        run.SetAction(parse =>
        {
            bool isDev = parse.GetValue(dev);
            uint euid = ProcessIdentity.EffectiveUid;
            if (!isDev && euid != 0)
            {
                Console.Error.WriteLine("launcherd: must run as root (or pass --dev to run unprivileged for development).");
                return ExitUsage;
            }

            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            void Flag(Option<string?> option, string key)
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    string? value = parse.GetValue(option);
                    flags[key] = value is not null && (key == DaemonConfigurationKeys.Socket || key == DaemonConfigurationKeys.StateDir)
                        ? Path.GetFullPath(value)
                        : value;
                }
            }

            Flag(socket, DaemonConfigurationKeys.Socket);
            Flag(stateDir, DaemonConfigurationKeys.StateDir);
            Flag(keyStore, DaemonConfigurationKeys.KeyStore);
            Flag(tcti, DaemonConfigurationKeys.TpmTcti);
            Flag(logLevel, DaemonConfigurationKeys.LogLevel);
            Flag(requirement, DaemonConfigurationKeys.ClientRequirement);
            Flag(redelivery, DaemonConfigurationKeys.RedeliverySeconds);
            Flag(fleetServer, DaemonConfigurationKeys.FleetServer);
            Flag(userKeyUids, DaemonConfigurationKeys.UserKeyUids);
            if (parse.GetValue(userKeyFallback))
            {
                flags[DaemonConfigurationKeys.AllowUserKeyFallback] = bool.TrueString;
            }

            string? explicitFile = parse.GetValue(config);
            DaemonOptions options;
            LogLevel level;
            try
            {
                LayeredConfiguration configuration = ConfigurationLoader.Load(
                    new ConfigurationRequest
                    {
                        ExplicitFile = explicitFile is null ? null : Path.GetFullPath(explicitFile),

                        // A --dev daemon is a developer's: it reads no system-wide file unless told to.
                        DefaultFile = isDev ? null : ConfigurationPaths.DaemonFile,
                        ManagedPreferences = isDev ? null : ConfigurationPaths.ManagedPreferences(ConfigurationPaths.DaemonPreferencesDomain),
                        CommandLine = flags,
                        AllowedOwner = euid,
                    },
                    DaemonConfigurationKeys.Schema);
                string? file = explicitFile is not null ? Path.GetFullPath(explicitFile)
                    : !isDev && File.Exists(ConfigurationPaths.DaemonFile) ? ConfigurationPaths.DaemonFile : null;
                (options, level) = DaemonSettings.Read(configuration, isDev, euid, file);
            }
            catch (ConfigurationException ex)
            {
                Console.Error.WriteLine("launcherd: configuration error: " + ex.Message);
                return ExitConfiguration;
            }

            return Run(options, level);
        });

        return new RootCommand("launcherd: the Launcher machine-identity daemon") { run };
    }

    private static int Run(DaemonOptions options, LogLevel logLevel)
    {
        // Every start failure ends here as one line on stderr and exit code 3: no log noise, no stack trace.
        IHost host;
        try
        {
            if (options.Dev)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(options.StateDirectory)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            host = DaemonHost.Build(options, logLevel, Launcher.Platform.Facts.MachineFactsProvider.Collect());
        }
        catch (Exception ex) when (IsStartFailure(ex))
        {
            Console.Error.WriteLine($"launcherd: cannot start: {ex.Message}");
            return ExitStartFailed;
        }

        try
        {
            host.Services.GetRequiredService<SocketListener>().Open();
            host.Run();
            return ExitOk;
        }
        catch (Exception ex) when (IsStartFailure(ex))
        {
            Console.Error.WriteLine($"launcherd: cannot start: {ex.Message}");
            return ExitStartFailed;
        }
        finally
        {
            host.Dispose();
        }
    }

    private static bool IsStartFailure(Exception ex) =>
        ex is InvalidOperationException or UnauthorizedAccessException or IOException or System.Net.Sockets.SocketException or ArgumentException;
}
