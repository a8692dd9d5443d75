using Launcher.Contracts.Identity;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Fleet;
using Launcher.Daemon.Handlers;
using Launcher.Daemon.Hosting;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Daemon.Notifications;
using Launcher.Platform.Files;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon;

/// <summary>Builds the daemon's host: state checks first, then services, then the socket.</summary>
internal static class DaemonHost
{
    private const UnixFileMode StateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static IHost Build(DaemonOptions options, LogLevel logLevel, MachineFactsInfo facts)
    {
        // Owner root and not group/world writable, except in dev mode where the daemon runs as the developer.
        StateDirectory.Ensure(options.StateDirectory, StateDirectoryMode, options.Dev ? null : 0u);

        // Before any service writes to it: only an empty state directory is a first start.
        StateInventory inventory = StateInventory.Take(options.StateDirectory);

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "launcherd" });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        if (SystemdHelpers.IsSystemdService())
        {
            // journald stamps every line itself and reads the <N> syslog prefix as the priority (journalctl -p).
            builder.Logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        // sd_notify READY=1 once every hosted service has started (the socket listens by then) and STOPPING=1 on
        // SIGTERM; a no-op unless systemd started the process.
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownGrace + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options);
        // The configured fleet server and enrolment token, as FleetSettings or IOptions<FleetSettings>.
        builder.Services.AddSingleton(options.FleetConfiguration);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.FleetConfiguration));
        builder.Services.AddSingleton(facts);
        builder.Services.AddSingleton(inventory);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DaemonInfo>();
        builder.Services.AddSingleton<SessionRegistry>();
        builder.Services.AddSingleton<PeerBudgets>();
        builder.Services.AddSingleton(_ => CodeSigningVerifierFactory.Create(options.ClientRequirement));
        builder.Services.AddSingleton(sp => new NotificationStore(Path.Combine(options.StateDirectory, "outbox.db"), sp.GetRequiredService<ILogger<NotificationStore>>(), TimeProvider.System));
        builder.Services.AddSingleton(_ => KeyStoreFactory.Create(options));
        builder.Services.AddSingleton<FleetMachineId>();
        builder.Services.AddSingleton(sp => new UserKeyProof(sp.GetRequiredService<SessionRegistry>(), options, ConsoleUser.Read, sp.GetRequiredService<ILogger<UserKeyProof>>()));
        builder.Services.AddSingleton<IdentityService>();
        builder.Services.AddSingleton<NotificationService>();
        builder.Services.AddSingleton<IMethodModule, StatusMethods>();
        builder.Services.AddSingleton<IMethodModule, DiagnoseMethods>();
        builder.Services.AddSingleton<IMethodModule, AgentMethods>();
        builder.Services.AddSingleton<IMethodModule, NotificationMethods>();
        builder.Services.AddSingleton<IMethodModule, IdentityMethods>();
        builder.Services.AddSingleton<IMethodModule, FleetLinkMethods>();
        builder.Services.AddSingleton(options.Fleet);
        builder.Services.AddSingleton(_ => new FleetStateStore(options.StateDirectory));
        builder.Services.AddSingleton<FleetConnector>();
        builder.Services.AddSingleton(sp => new FleetLink(
            sp.GetRequiredService<FleetStateStore>(),
            sp.GetRequiredService<FleetConnector>(),
            sp.GetRequiredService<IdentityService>(),
            sp.GetRequiredService<NotificationService>(),
            sp.GetRequiredService<NotificationStore>(),
            sp.GetRequiredService<FleetLinkOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FleetLink>>(),
            sp.GetRequiredService<FleetMachineId>(),
            settings: sp.GetRequiredService<Configuration.FleetSettings>()));
        builder.Services.AddSingleton<MethodRegistry>();
        builder.Services.AddHostedService<IdentityStartup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationService>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FleetLink>());
        builder.Services.AddSingleton<SocketListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SocketListener>());
        builder.Services.AddHostedService<SystemdWatchdog>();
        return builder.Build();
    }
}
