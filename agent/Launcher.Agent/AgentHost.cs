using System.Runtime.InteropServices;
using Launcher.Agent.Connection;
using Launcher.Agent.Notifications;
using Launcher.Agent.Presenters;
using Launcher.Agent.UserKeys;
using Launcher.Contracts.Agents;
using Launcher.Platform.Files;
using Launcher.Platform.Ipc;
using Launcher.Client;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Launcher.Agent;

/// <summary>Builds the agent from its options and runs it until SIGTERM or Ctrl-C.</summary>
internal static class AgentHost
{
    public const int ExitOk = 0;
    public const int ExitStartFailed = 3;

    private const UnixFileMode StateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static int Run(AgentOptions options, LogLevel logLevel)
    {
        using ILoggerFactory loggers = CreateLoggers(logLevel);
        ILogger logger = loggers.CreateLogger("launcher-agent");
        TimeProvider time = TimeProvider.System;
        uint uid = ProcessIdentity.EffectiveUid;

        SeenNotifications seen;
        try
        {
            EnsureStateDirectory(options.StateDirectory, uid);
            seen = SeenNotifications.Load(Path.Combine(options.StateDirectory, SeenNotifications.FileName), SeenNotifications.DefaultCapacity, time, out string? problem);
            if (problem is not null)
            {
                Log.SeenLoadProblem(logger, problem);
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            Log.StartFailed(logger, $"state directory {options.StateDirectory}: {ex.Message}");
            return ExitStartFailed;
        }

        INotificationPresenter presenter = PresenterFactory.Create(options.Presenter, Console.Out, time, logger);
        try
        {
            return RunWith(options, presenter, seen, uid, time, loggers, logger);
        }
        finally
        {
            if (presenter is IAsyncDisposable disposable)
            {
                disposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static int RunWith(AgentOptions options, INotificationPresenter presenter, SeenNotifications seen, uint uid, TimeProvider time, ILoggerFactory loggers, ILogger logger)
    {
        if (!presenter.IsSupported(out string unsupported))
        {
            Log.PresenterUnsupported(logger, presenter.Name, unsupported);
        }

        using UserKey? userKey = UserKeyFactory.Open(options.UserKeyMode, options.StateDirectory, logger);
        Log.ConfigurationInUse(logger, options.ConfigurationFile ?? "none");
        Log.Starting(logger, AgentInfo.Version, options.SocketPath, presenter.Name, userKey?.KeyClass ?? "none", options.StateDirectory);

        var acks = new AckOutbox(logger);
        var inbox = new NotificationInbox(seen, presenter, acks, time, logger);
        var signer = new UserKeySigner(userKey, uid, time, logger);
        RpcHandlerTable handlers = AgentHandlers.Build(inbox, signer);
        var clientOptions = new LauncherClientOptions
        {
            SocketPath = options.SocketPath,
            ConnectTimeout = options.ConnectTimeout,
            CallTimeout = options.CallTimeout,
            Handlers = handlers,
            Logger = loggers.CreateLogger("Launcher.Rpc"),
            TimeProvider = time,
            VerifyDaemon = peer => DaemonTrust.Check(peer.Uid, uid, options.ExpectedDaemonUid),
        };
        // Built at every registration: what the presenter can do may change (another notification server).
        RegisterParams Registration() => new()
        {
            Uid = uid,
            AgentVersion = AgentInfo.Version,
            Presenter = presenter.Name,
            Capabilities = presenter.Capabilities,
            UserKey = userKey?.Info,
        };
        var runner = new AgentRunner(
            options.SocketPath,
            cancellationToken => LauncherClient.ConnectAsync(clientOptions, cancellationToken),
            Registration,
            inbox,
            acks,
            new ReconnectBackoff(Random.Shared),
            time,
            logger);

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the runtime's default would end the process without closing the connection.
            context.Cancel = true;
            if (!stop.IsCancellationRequested)
            {
                Log.Stopping(logger);
                stop.Cancel();
            }
        }

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        try
        {
            presenter.StartAsync(stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitOk;
        }

        runner.RunAsync(stop.Token).GetAwaiter().GetResult();
        return ExitOk;
    }

    private static ILoggerFactory CreateLoggers(LogLevel logLevel) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(logLevel);
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });

        // Every level to standard error: standard output belongs to the stdout presenter.
        builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    private static void EnsureStateDirectory(string path, uint uid)
    {
        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            // ~/.local/state may not exist yet on a fresh account; it is the user's own, default mode.
            Directory.CreateDirectory(parent);
        }

        StateDirectory.Ensure(full, StateDirectoryMode, uid);
    }
}
