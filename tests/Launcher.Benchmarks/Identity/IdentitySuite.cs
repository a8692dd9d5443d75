using System.Diagnostics;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Identity;

/// <summary>
/// Suite <c>identity</c>: identity/prove through launcherd's socket against the same proof built in-process (software
/// key), then the TPM: lnk-bench-sign against a swtpm versus identity/prove through a TPM-backed daemon, and the
/// TPM daemon's start-to-ready time.
/// </summary>
internal sealed class IdentitySuite
{
    private readonly RepoLayout _layout;
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;
    private readonly JsonObject _json = [];
    private readonly List<Figure> _figures = [];

    public IdentitySuite(RepoLayout layout, BenchOptions options, string workDirectory, TextWriter log)
    {
        _layout = layout;
        _options = options;
        _work = workDirectory;
        _log = log;
    }

    private bool Quick => _options.Quick;

    private TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 0.5 : 2);

    private TimeSpan MaxWarmup => TimeSpan.FromSeconds(Quick ? 3 : 10);

    private TimeSpan Duration => TimeSpan.FromSeconds(Quick ? 1.5 : 4);

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        await SoftwareAsync().ConfigureAwait(false);
        await TpmAsync().ConfigureAwait(false);
        return (_json, _figures);
    }

    private async Task SoftwareAsync()
    {
        using var raw = new RawProofs();
        int cores = Environment.ProcessorCount;
        int blocks = Quick ? 2 : 4;

        // Raw and socket in alternating blocks, so load from other work on the machine falls on both alike.
        var rawRuns = new List<double>();
        var socketRuns = new List<double>();
        var daemonCpuShares = new List<double>();
        var harnessCpuShares = new List<double>();
        double oneThread;
        await using (DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, Path.Combine(_work, "software-daemon"), ["--key-store", "software"], TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            _json["daemonStartToReadyMsSoftware"] = Math.Round(daemon.StartToReady.TotalMilliseconds, 1);
            _log.WriteLine($"identity: launcherd (software key) pid {daemon.Pid} ready in {daemon.StartToReady.TotalMilliseconds:0} ms");
            oneThread = CpuThroughput.Run(() => raw.CreateOne(), 1, Warmup, Duration).PerSecond;
            for (int block = 0; block < blocks; block++)
            {
                rawRuns.Add(CpuThroughput.Run(() => raw.CreateOne(), cores, Warmup, Duration).PerSecond);
                var sample = new WindowSample(daemon);
                socketRuns.Add(await ProvesPerSecondAsync(daemon, Duration, block == 0 ? MaxWarmup : Warmup, TimeSpan.Zero, sample.OnWindow).ConfigureAwait(false));
                double daemonCpu = sample.DaemonCpus;
                double harnessCpu = sample.HarnessCpus;
                int threads = sample.DaemonThreads;
                daemonCpuShares.Add(daemonCpu);
                harnessCpuShares.Add(harnessCpu);
                _log.WriteLine($"identity: block {block}: raw {rawRuns[^1]:#,0} proofs/s on {cores} threads; identity/prove via launcherd {socketRuns[^1]:#,0}/s ({_options.ProveCallers} callers; launcherd used {daemonCpu:0.00} CPUs with {threads} threads, the harness {harnessCpu:0.00})");
            }
        }

        double rawRate = rawRuns.Average();
        double socket = socketRuns.Average();
        _json["proofsPerSecSocket"] = Math.Round(socket);
        _json["proofsPerSecRaw"] = Math.Round(rawRate);
        _json["proofRatio"] = Math.Round(socket / rawRate, 3);
        _json["proofsPerSecRawRuns"] = Rounded(rawRuns, 0);
        _json["proofsPerSecSocketRuns"] = Rounded(socketRuns, 0);
        _json["launcherdCpusDuringProofs"] = Rounded(daemonCpuShares, 2);
        _json["harnessCpusDuringProofs"] = Rounded(harnessCpuShares, 2);
        _json["proofsPerSecRawOneThread"] = Math.Round(oneThread);
        _json["proofRatioVsOneThread"] = Math.Round(socket / oneThread, 3);
        _json["proveCallers"] = _options.ProveCallers;
        _json["rawThreads"] = cores;
        _figures.Add(new Figure("proofsPerSecSocket", "identity/prove via launcherd (software key)", socket, "proofs/s", double.NaN, true, $"{_options.ProveCallers} concurrent callers"));
        _figures.Add(new Figure("proofsPerSecRaw", "ProofWriter.Create + ECDsa in-process", rawRate, "proofs/s", double.NaN, true, $"{cores} threads; 1 thread: {oneThread:#,0}/s"));
        _figures.Add(new Figure("proofRatio", "socket / raw", socket / rawRate * 100, "%", 50, true));
    }

    private async Task TpmAsync()
    {
        if (Swtpm.MissingPrerequisite(_layout) is string missing)
        {
            Skip(missing);
            return;
        }

        double seconds = Quick ? 2 : 6;
        int blocks = Quick ? 1 : 3;
        await using Swtpm tpm = await Swtpm.StartAsync(Path.Combine(_work, "swtpm")).ConfigureAwait(false);
        _log.WriteLine($"identity: swtpm at {tpm.Tcti}");
        string[] daemonArguments = ["--key-store", "tpm", "--tpm-tcti", tpm.Tcti];
        string daemonDirectory = Path.Combine(_work, "tpm-daemon");

        // The first start creates the machine key in the TPM; it is reported apart from the restarts.
        double firstStart;
        await using (DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, daemonDirectory, daemonArguments, TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            firstStart = daemon.StartToReady.TotalMilliseconds;
            if (daemon.Status?.IdentityState != IdentityStates.Ready || daemon.Status.KeyClass != KeyClasses.Tpm)
            {
                Skip($"the TPM daemon's identity is {daemon.Status?.KeyClass} {daemon.Status?.IdentityState}: {string.Join("; ", daemon.Status?.Warnings ?? [])}");
                return;
            }

            await daemon.StopAsync().ConfigureAwait(false);
        }

        // Native and daemon in alternating blocks (swtpm serves one client at a time, so the daemon is stopped
        // while lnk-bench-sign runs); every daemon start is a start-to-ready sample with an existing key.
        var nativeRuns = new List<double>();
        var daemonRuns = new List<double>();
        var starts = new List<double>();
        var nativeShares = new List<SwtpmShare>();
        var daemonShares = new List<SwtpmShare>();
        var tpmDaemonCpus = new List<double>();
        var tpmHarnessCpus = new List<double>();
        for (int block = 0; block < blocks; block++)
        {
            (double nativeRate, SwtpmShare nativeShare) = await SwtpmShareAsync(tpm, () => NativeBenchSign.RunAsync(_layout, tpm.Tcti, seconds)).ConfigureAwait(false);
            nativeRuns.Add(nativeRate);
            nativeShares.Add(nativeShare);
            await using DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, daemonDirectory, daemonArguments, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            starts.Add(daemon.StartToReady.TotalMilliseconds);
            // A fresh process: at least MaxWarmup / 2 of load before measuring, so tiered JIT is not competing with swtpm.
            var sample = new WindowSample(daemon, tpm);
            double daemonRate = await ProvesPerSecondAsync(daemon, TimeSpan.FromSeconds(seconds), MaxWarmup, MaxWarmup / 2, sample.OnWindow).ConfigureAwait(false);
            SwtpmShare daemonShare = sample.Swtpm!;
            double tpmDaemonCpu = sample.DaemonCpus;
            tpmDaemonCpus.Add(tpmDaemonCpu);
            tpmHarnessCpus.Add(sample.HarnessCpus);
            daemonRuns.Add(daemonRate);
            daemonShares.Add(daemonShare);
            await daemon.StopAsync().ConfigureAwait(false);
            _log.WriteLine($"identity: block {block}: lnk-bench-sign {nativeRuns[^1]:#,0} signs/s ({nativeShare}); identity/prove via a TPM launcherd {daemonRuns[^1]:#,0}/s ({daemonShare}; launcherd used {tpmDaemonCpu:0.00} CPUs, the harness {sample.HarnessCpus:0.00}); daemon ready in {starts[^1]:0} ms");
        }

        nativeRuns.Add(await NativeBenchSign.RunAsync(_layout, tpm.Tcti, seconds).ConfigureAwait(false));
        _log.WriteLine($"identity: lnk-bench-sign {nativeRuns[^1]:#,0} signs/s (closing bracket); first start, creating the key: {firstStart:0} ms");
        double native = nativeRuns.Average();
        double viaDaemon = daemonRuns.Average();
        double start = Median(starts);

        _json["tpmSignsPerSecDaemon"] = Math.Round(viaDaemon, 1);
        _json["tpmSignsPerSecNative"] = Math.Round(native, 1);
        _json["tpmRatio"] = Math.Round(viaDaemon / native, 3);
        _json["tpmSignsPerSecNativeRuns"] = Rounded(nativeRuns, 1);
        _json["tpmSignsPerSecDaemonRuns"] = Rounded(daemonRuns, 1);
        _json["daemonStartToReadyMsTpm"] = Math.Round(start, 1);
        _json["daemonStartToReadyMsTpmRuns"] = Rounded(starts, 1);
        _json["daemonStartToReadyMsTpmFirstStart"] = Math.Round(firstStart, 1);
        _json["tpmTcti"] = tpm.Tcti;
        _json["swtpmNative"] = new JsonArray(nativeShares.Select(s => (JsonNode?)s.ToJson()).ToArray());
        _json["launcherdCpusDuringTpmProofs"] = Rounded(tpmDaemonCpus, 2);
        _json["harnessCpusDuringTpmProofs"] = Rounded(tpmHarnessCpus, 2);
        _json["swtpmDaemon"] = new JsonArray(daemonShares.Select(s => (JsonNode?)s.ToJson()).ToArray());
        _figures.Add(new Figure("tpmSignsPerSecNative", "lnk-bench-sign against swtpm", native, "signs/s", double.NaN, true));
        _figures.Add(new Figure("tpmSignsPerSecDaemon", "identity/prove via a TPM launcherd", viaDaemon, "proofs/s", double.NaN, true, $"{_options.ProveCallers} concurrent callers"));
        _figures.Add(new Figure("tpmRatio", "daemon / native", viaDaemon / native * 100, "%", 80, true));
        _figures.Add(new Figure("daemonStartToReadyMsTpm", "spawn → daemon/status answers (TPM, key exists)", start, "ms", double.NaN, false, $"median of {starts.Count}; first start, creating the key: {firstStart:0} ms"));
    }

    /// <summary>Runs a phase; returns its rate and where swtpm's wall time went meanwhile.</summary>
    private static async Task<(double Rate, SwtpmShare Share)> SwtpmShareAsync(Swtpm tpm, Func<Task<double>> phase)
    {
        (TimeSpan runningBefore, TimeSpan waitingBefore) = tpm.SchedulerTimes();
        long start = Stopwatch.GetTimestamp();
        double rate = await phase().ConfigureAwait(false);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (TimeSpan running, TimeSpan waiting) = tpm.SchedulerTimes();
        return (rate, new SwtpmShare((running - runningBefore).TotalSeconds / wall, (waiting - waitingBefore).TotalSeconds / wall));
    }

    private static JsonArray Rounded(IEnumerable<double> values, int digits) => new(values.Select(v => (JsonNode?)Math.Round(v, digits)).ToArray());

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private void Skip(string reason)
    {
        _log.WriteLine($"identity: TPM parts skipped: {reason}");
        foreach (string key in new[] { "tpmSignsPerSecDaemon", "tpmSignsPerSecNative", "tpmRatio", "daemonStartToReadyMsTpm" })
        {
            _json[key] = null;
        }

        _json["tpmSkipped"] = reason;
        _figures.Add(new Figure("tpmSignsPerSecNative", "lnk-bench-sign against swtpm", null, "signs/s", double.NaN, true, reason));
        _figures.Add(new Figure("tpmSignsPerSecDaemon", "identity/prove via a TPM launcherd", null, "proofs/s", double.NaN, true));
        _figures.Add(new Figure("tpmRatio", "daemon / native", null, "%", 80, true));
        _figures.Add(new Figure("daemonStartToReadyMsTpm", "spawn → daemon/status answers (TPM)", null, "ms", double.NaN, false));
    }

    private async Task<double> ProvesPerSecondAsync(DaemonProcess daemon, TimeSpan duration, TimeSpan maxWarmup, TimeSpan minWarmup, Action<bool> window)
    {
        int callers = _options.ProveCallers;
        int connectionCount = Math.Min(callers, 4);
        var connections = new JsonRpcConnection[connectionCount];
        for (int i = 0; i < connectionCount; i++)
        {
            connections[i] = await daemon.ConnectAsync().ConfigureAwait(false);
        }

        try
        {
            var request = new ProveParams { Audience = "https://fleet.example/bench", Nonce = "bench-nonce-0123456789" };
            ProveResult first = await connections[0].InvokeAsync(Methods.IdentityProve, request).ConfigureAwait(false);
            if (first.Jws.Split('.').Length != 3)
            {
                throw new InvalidOperationException("identity/prove did not return a compact JWS.");
            }

            Throughput t = await Measure.ThroughputAsync(caller => connections[caller % connectionCount].InvokeAsync(Methods.IdentityProve, request), callers, maxWarmup, duration, minWarmup, window).ConfigureAwait(false);
            return t.PerSecond;
        }
        finally
        {
            foreach (JsonRpcConnection connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
