using System.Collections.Concurrent;
using System.Diagnostics;

namespace Launcher.Benchmarks.Harness;

/// <summary>
/// A process this harness started: its output is drained continuously (a child blocked on a full pipe would
/// distort every figure) and the last lines kept for error messages. Stopped by its own pid: SIGTERM, then kill.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The first line the child wrote to stdout (e.g. "ready").</summary>
    public Task<string> FirstLine => _firstLine.Task;

    public StreamWriter StandardInput => _process.StandardInput;

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, bool redirectInput = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> variable in environment)
            {
                info.Environment[variable.Key] = variable.Value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, fileName + " " + string.Join(' ', info.ArgumentList));
        process.OutputDataReceived += (_, e) => child.Keep(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Tail(int lines = 30) => string.Join('\n', _tail.TakeLast(lines));

    /// <summary>Resident set size now and at its peak, from /proc/PID/status (MB).</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        double rss = double.NaN;
        double peak = double.NaN;
        foreach (string line in File.ReadAllLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiloBytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiloBytes(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    /// <summary>CPU time used so far (user + system) and the current thread count.</summary>
    /// <summary>Proportional set size and private dirty memory (from smaps_rollup), in MB: what the process costs the
    /// machine, as opposed to RSS, which also counts the shared runtime and framework pages every .NET process maps.</summary>
    public (double PssMb, double PrivateDirtyMb) ProportionalMemory()
    {
        double pss = double.NaN;
        double dirty = double.NaN;
        string path = $"/proc/{_process.Id}/smaps_rollup";
        if (!File.Exists(path))
        {
            return (pss, dirty);
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                pss = KiloBytes(line) / 1024.0;
            }
            else if (line.StartsWith("Private_Dirty:", StringComparison.Ordinal))
            {
                dirty = KiloBytes(line) / 1024.0;
            }
        }

        return (pss, dirty);
    }

    public (TimeSpan Cpu, int Threads) CpuAndThreads()
    {
        _process.Refresh();
        return (_process.TotalProcessorTime, _process.Threads.Count);
    }

    /// <summary>Waits for the child to exit on its own (a command-line tool).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Description} did not finish within {timeout.TotalSeconds:0} s:\n{Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Posix.Terminate(_process.Id);
        using var cancel = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private static double KiloBytes(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Keep(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        if (stdout)
        {
            _firstLine.TrySetResult(line);
        }

        _tail.Enqueue(line);
        while (_tail.Count > KeptLines)
        {
            _tail.TryDequeue(out _);
        }
    }
}
