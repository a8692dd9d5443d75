using System.CommandLine;
using Launcher.Daemon.Ipc;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon;

/// <summary><c>launcherd run [--socket PATH] [--state-dir DIR] [--dev] [--key-store KIND] [--tpm-tcti TCTI]</c>.</summary>
internal static class DaemonCommandLine
{
    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitStartFailed = 3;

    public static RootCommand Build()
    {
        var socket = new Option<string?>("--socket") { Description = "The Unix socket to listen on (default: /run/launcher/launcherd.sock; macOS /var/run/launcher/launcherd.sock)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "The root-owned state directory (default: /var/lib/launcher; macOS /var/db/launcher)." };
        var dev = new Option<bool>("--dev") { Description = "Run unprivileged: state and socket under ./.launcher-dev, the daemon's own uid is admin." };
        var keyStore = new Option<string>("--key-store") { Description = "Where the machine key lives.", DefaultValueFactory = _ => "auto" };
        keyStore.AcceptOnlyFromAmong("auto", "secure-enclave", "tpm", "software");
        var tcti = new Option<string>("--tpm-tcti") { Description = "The TPM's TCTI (Linux).", DefaultValueFactory = _ => "device:/dev/tpmrm0" };
        var userKeyFallback = new Option<bool>("--allow-user-key-fallback") { Description = "Let a logged-in user's agent sign proofs when the machine key is unusable." };
        var userKeyUids = new Option<uint[]>("--user-key-uids") { Description = "Uids whose agents may serve the user-key fallback, in order (default: the console user only).", AllowMultipleArgumentsPerToken = true };
        var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error.", DefaultValueFactory = _ => LogLevel.Information };
        var requirement = new Option<string?>("--client-requirement") { Description = "macOS: the code-signing requirement non-root clients must satisfy." };
        var redelivery = new Option<double>("--redelivery-seconds") { Description = "How often unacknowledged notifications are re-sent to connected agents.", DefaultValueFactory = _ => 60 };

        var run = new Command("run", "Run the daemon in the foreground (launchd and systemd start it this way).")
        {
            socket, stateDir, dev, keyStore, tcti, userKeyFallback, userKeyUids, logLevel, redelivery, requirement,
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

            var options = new DaemonOptions
            {
                SocketPath = Path.GetFullPath(parse.GetValue(socket) ?? DefaultPaths.DaemonSocket(isDev)),
                StateDirectory = Path.GetFullPath(parse.GetValue(stateDir) ?? DefaultPaths.DaemonStateDirectory(isDev)),
                Dev = isDev,
                KeyStore = parse.GetValue(keyStore)!,
                TpmTcti = parse.GetValue(tcti)!,
                AllowUserKeyFallback = parse.GetValue(userKeyFallback),
                UserKeyUids = parse.GetValue(userKeyUids) ?? [],
                RedeliveryInterval = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(redelivery))),
                ExtraAdminUid = isDev ? euid : null,
                ClientRequirement = parse.GetValue(requirement),
            };
            return Run(options, parse.GetValue(logLevel));
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
