using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Identity;

/// <summary>A swtpm started and stopped through scripts/swtpm.sh, with its state in the run's temp directory.</summary>
internal sealed class Swtpm : IAsyncDisposable
{
    private readonly RepoLayout _layout;
    private readonly string _directory;

    private Swtpm(RepoLayout layout, string directory, string tcti)
    {
        _layout = layout;
        _directory = directory;
        Tcti = tcti;
    }

    public string Tcti { get; }

    /// <summary>
    /// swtpm's CPU time and its time runnable but waiting for a CPU, so far (/proc/PID/schedstat, nanoseconds). swtpm
    /// computes in software: the rest of the wall time it waited for commands.
    /// </summary>
    public (TimeSpan Running, TimeSpan WaitingForCpu) SchedulerTimes()
    {
        int pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "swtpm.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string[] fields = File.ReadAllText($"/proc/{pid}/schedstat").Split(' ', StringSplitOptions.RemoveEmptyEntries);
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
    public static async Task<Swtpm> StartAsync(RepoLayout layout, string directory, bool endorsed = false)
    {
        var environment = new Dictionary<string, string> { ["SWTPM_EK"] = endorsed ? "1" : "0" };
        await using ChildProcess script = ChildProcess.Start("bash", [layout.SwtpmScript, "start", directory], environment: environment);
        int exit = await script.WaitForExitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        string tcti = script.FirstLine.IsCompletedSuccessfully ? script.FirstLine.Result.Trim() : "";
        if (exit != 0 || !tcti.StartsWith("swtpm:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/swtpm.sh start failed ({exit}):\n{script.Tail()}");
        }

        return new Swtpm(layout, directory, tcti);
    }

    public async ValueTask DisposeAsync()
    {
        await using ChildProcess script = ChildProcess.Start("bash", [_layout.SwtpmScript, "stop", _directory]);
        await script.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private static bool OnPath(string program)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, program)));
    }
}
