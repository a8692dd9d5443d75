using Launcher.Benchmarks.Harness;
using Launcher.Testing;

namespace Launcher.Benchmarks.Identity;

/// <summary>A swtpm (the tests' <see cref="SwtpmInstance"/>, scripts/swtpm.sh) with its state in the run's temp
/// directory, and what the benchmarks read of it.</summary>
internal sealed class Swtpm : IAsyncDisposable
{
    private readonly SwtpmInstance _instance;

    private Swtpm(SwtpmInstance instance)
    {
        _instance = instance;
    }

    public string Tcti => _instance.Tcti;

    /// <summary>
    /// swtpm's CPU time and its time runnable but waiting for a CPU, so far (/proc/PID/schedstat, nanoseconds). swtpm
    /// computes in software: the rest of the wall time it waited for commands.
    /// </summary>
    public (TimeSpan Running, TimeSpan WaitingForCpu) SchedulerTimes()
    {
        string[] fields = File.ReadAllText($"/proc/{_instance.Pid}/schedstat").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long running = long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        long waiting = long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        return (TimeSpan.FromTicks(running / 100), TimeSpan.FromTicks(waiting / 100));
    }

    /// <summary>Why the TPM measurements cannot run here, or null when they can.</summary>
    public static string? MissingPrerequisite(RepoLayout layout)
    {
        if (!OnPath("swtpm"))
        {
            return "swtpm is not on PATH (apt-get install swtpm swtpm-tools)";
        }

        if (!File.Exists(layout.SwtpmScript))
        {
            return $"{layout.SwtpmScript} is missing";
        }

        if (!File.Exists(layout.BenchSignTool))
        {
            return $"{layout.BenchSignTool} is missing: run scripts/build-native.sh";
        }

        string shim = Path.Combine(layout.LauncherdDirectory, "liblauncher_native.so");
        return File.Exists(shim) ? null : $"{shim} is missing: run scripts/build-native.sh, then rebuild the daemon so the shim is copied beside it";
    }

    /// <param name="endorsed">Provision EKs and EK certificates from a test CA first (SWTPM_EK=1).</param>
    public static async Task<Swtpm> StartAsync(string directory, bool endorsed = false)
    {
        SwtpmInstance instance = await Task.Run(() => endorsed ? SwtpmInstance.StartEndorsed(directory) : SwtpmInstance.Start(directory)).ConfigureAwait(false);
        return new Swtpm(instance);
    }

    public ValueTask DisposeAsync()
    {
        _instance.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool OnPath(string program)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, program)));
    }
}
