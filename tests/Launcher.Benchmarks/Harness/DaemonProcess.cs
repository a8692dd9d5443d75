using System.Diagnostics;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Harness;

/// <summary>
/// A real <c>launcherd run --dev</c> child with its own socket and state directory under the run's temp
/// directory. Ready means: the socket accepts and daemon/status answers.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;

    private DaemonProcess(ChildProcess child, string socketPath, string stateDirectory)
    {
        _child = child;
        SocketPath = socketPath;
        StateDirectory = stateDirectory;
    }

    public string SocketPath { get; }

    public string StateDirectory { get; }

    public int Pid => _child.Pid;

    /// <summary>From spawning the process to the first daemon/status answer.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>From spawning the process to the socket file appearing (bound, maybe not yet accepting).</summary>
    public TimeSpan StartToSocket { get; private set; }

    /// <summary>CPU time (user + system) the daemon had used when it first answered: less sensitive to a loaded
    /// machine than <see cref="StartToReady"/>, which includes waiting for a core.</summary>
    public TimeSpan CpuAtReady { get; private set; }

    /// <summary>The first status answer.</summary>
    public StatusResult? Status { get; private set; }

    /// <summary>Starts a daemon in <paramref name="directory"/> (reused if it exists: a restart keeps its state).</summary>
    public static Task<DaemonProcess> StartAsync(RepoLayout layout, string directory, IEnumerable<string> extraArguments, TimeSpan readyTimeout) =>
        StartAsync(layout.LauncherdPath, directory, extraArguments, readyTimeout, null);

    /// <summary>Starts the daemon at <paramref name="launcherdPath"/> with extra environment variables (DOTNET_* knobs).</summary>
    public static async Task<DaemonProcess> StartAsync(string launcherdPath, string directory, IEnumerable<string> extraArguments, TimeSpan readyTimeout, IReadOnlyDictionary<string, string>? environment)
    {
        string socketPath = Path.Combine(directory, "run", "launcherd.sock");
        string stateDirectory = Path.Combine(directory, "state");
        Directory.CreateDirectory(Path.Combine(directory, "run"));
        string[] daemonArguments = ["run", "--dev", "--socket", socketPath, "--state-dir", stateDirectory, .. extraArguments];

        // launcherd.dll runs under the dotnet muxer; anything else is a native executable (a NativeAOT publish).
        bool managed = launcherdPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        string program = managed ? DotnetHost.Path : launcherdPath;
        string[] arguments = managed ? [launcherdPath, .. daemonArguments] : daemonArguments;
        long started = Stopwatch.GetTimestamp();
        ChildProcess child = ChildProcess.Start(program, arguments, environment: environment);
        var daemon = new DaemonProcess(child, socketPath, stateDirectory);
        try
        {
            await daemon.WaitReadyAsync(started, readyTimeout).ConfigureAwait(false);
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return daemon;
    }

    public Task<JsonRpcConnection> ConnectAsync(RpcHandlerTable? handlers = null, object? state = null) =>
        UnixRpc.ConnectAsync(SocketPath, handlers, state);

    public (double RssMb, double PeakMb) Memory() => _child.Memory();

    public (double PssMb, double PrivateDirtyMb) ProportionalMemory() => _child.ProportionalMemory();

    public string Tail(int lines = 30) => _child.Tail(lines);

    public (TimeSpan Cpu, int Threads) CpuAndThreads() => _child.CpuAndThreads();

    /// <summary>A graceful stop (SIGTERM): the daemon closes its key store and its TPM connection.</summary>
    public Task StopAsync() => _child.StopAsync(TimeSpan.FromSeconds(15));

    public ValueTask DisposeAsync() => _child.DisposeAsync();

    private async Task WaitReadyAsync(long started, TimeSpan timeout)
    {
        long deadline = started + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_child.HasExited)
            {
                throw new InvalidOperationException($"launcherd exited during start:\n{_child.Tail()}");
            }

            if (File.Exists(SocketPath))
            {
                if (StartToSocket == TimeSpan.Zero)
                {
                    StartToSocket = Stopwatch.GetElapsedTime(started);
                }

                try
                {
                    await using JsonRpcConnection connection = await ConnectAsync().ConfigureAwait(false);
                    Status = await connection.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance, timeout: TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                    StartToReady = Stopwatch.GetElapsedTime(started);
                    CpuAtReady = _child.CpuAndThreads().Cpu;
                    return;
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or RpcConnectionLostException or IOException)
                {
                    // Bound but not accepting yet, or a stale socket from a previous run of this directory.
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"launcherd was not ready within {timeout.TotalSeconds:0} s:\n{_child.Tail()}");
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }
}
