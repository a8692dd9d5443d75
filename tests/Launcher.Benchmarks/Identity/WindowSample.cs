using System.Diagnostics;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Identity;

/// <summary>
/// CPU counters sampled exactly over a measured window (not the warm-up): launcherd's and this harness's CPU time, and
/// where swtpm's wall time went when a swtpm is in play.
/// </summary>
internal sealed class WindowSample
{
    private readonly DaemonProcess _daemon;
    private readonly Swtpm? _tpm;
    private long _start;
    private TimeSpan _daemonCpu;
    private TimeSpan _harnessCpu;
    private (TimeSpan Running, TimeSpan Waiting) _swtpm;

    public WindowSample(DaemonProcess daemon, Swtpm? tpm = null)
    {
        _daemon = daemon;
        _tpm = tpm;
    }

    /// <summary>launcherd's CPU use in the window, in CPUs (1.0 = one core busy).</summary>
    public double DaemonCpus { get; private set; }

    public double HarnessCpus { get; private set; }

    public int DaemonThreads { get; private set; }

    public SwtpmShare? Swtpm { get; private set; }

    public void OnWindow(bool starting)
    {
        if (starting)
        {
            _daemonCpu = _daemon.CpuAndThreads().Cpu;
            _harnessCpu = Process.GetCurrentProcess().TotalProcessorTime;
            _swtpm = _tpm?.SchedulerTimes() ?? default;
            _start = Stopwatch.GetTimestamp();
            return;
        }

        double wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        (TimeSpan daemonCpu, int threads) = _daemon.CpuAndThreads();
        DaemonCpus = (daemonCpu - _daemonCpu).TotalSeconds / wall;
        DaemonThreads = threads;
        HarnessCpus = (Process.GetCurrentProcess().TotalProcessorTime - _harnessCpu).TotalSeconds / wall;
        if (_tpm is not null)
        {
            (TimeSpan running, TimeSpan waiting) = _tpm.SchedulerTimes();
            Swtpm = new SwtpmShare((running - _swtpm.Running).TotalSeconds / wall, (waiting - _swtpm.Waiting).TotalSeconds / wall);
        }
    }
}
