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
    /// CPU time swtpm has used so far (utime + stime from /proc/PID/stat, 10 ms resolution): swtpm computes in
    /// software, so its share of the CPU bounds signatures per second.
    /// </summary>
    public TimeSpan CpuTime()
    {
        int pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "swtpm.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>Why the TPM measurements cannot run here, or null when they can.</summary>
    public static string? MissingPrerequisite(RepoLayout layout)
    {
        if (!OnPath("swtpm"))
        {
            return "swtpm is not installed (apt-get install swtpm swtpm-tools)";
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

    public static async Task<Swtpm> StartAsync(RepoLayout layout, string directory)
    {
        await using ChildProcess script = ChildProcess.Start("bash", [layout.SwtpmScript, "start", directory]);
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
