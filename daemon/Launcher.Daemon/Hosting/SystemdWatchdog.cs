using System.Globalization;
using Launcher.Daemon.Ipc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Hosting;

/// <summary>
/// Sends <c>WATCHDOG=1</c> to systemd at half the unit's <c>WatchdogSec</c> (systemd passes it as
/// <c>WATCHDOG_USEC</c>), which Microsoft.Extensions.Hosting.Systemd does not do itself. A ping goes out only while the
/// socket listens and the thread pool runs timers, so a wedged daemon is restarted by systemd. Nothing happens
/// without systemd or without a watchdog.
/// </summary>
internal sealed class SystemdWatchdog : BackgroundService
{
    private static readonly ServiceState s_watchdog = new("WATCHDOG=1");

    private readonly ISystemdNotifier? _notifier;
    private readonly SocketListener _listener;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdWatchdog> _logger;

    public SystemdWatchdog(IServiceProvider services, SocketListener listener, TimeProvider time, ILogger<SystemdWatchdog> logger)
    {
        // Registered by AddSystemd only when systemd started the process.
        _notifier = (ISystemdNotifier?)services.GetService(typeof(ISystemdNotifier));
        _listener = listener;
        _time = time;
        _logger = logger;
    }

    /// <summary>The ping interval from systemd's environment, or null when there is no watchdog for this process.</summary>
    internal static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int pid)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0)
        {
            return null;
        }

        // WATCHDOG_PID names the process the watchdog is for; a child that inherited the variable must stay silent.
        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int target) || target != pid))
        {
            return null;
        }

        return TimeSpan.FromMilliseconds(Math.Max(1, usec / 2000.0));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan? interval = Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        if (_notifier is not { IsEnabled: true } || interval is not TimeSpan period)
        {
            return;
        }

        Log.WatchdogEnabled(_logger, period.TotalSeconds);
        using var timer = new PeriodicTimer(period, _time);
        do
        {
            if (!_listener.IsListening)
            {
                Log.WatchdogWithheld(_logger, "the socket no longer listens");
                continue;
            }

            _notifier.Notify(s_watchdog);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
