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

    private TimeSpan Duration => TimeSpan.FromSeconds(Quick ? 2 : 8);

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

        // Baseline, socket, baseline again: the mean of the two baselines brackets the socket run in time.
        Throughput rawBefore = CpuThroughput.Run(() => raw.CreateOne(), cores, Warmup, Duration);
        Throughput rawOneThread = CpuThroughput.Run(() => raw.CreateOne(), 1, Warmup, Duration);
        _log.WriteLine($"identity: raw proofs in-process: {rawBefore.PerSecond:#,0}/s on {cores} threads, {rawOneThread.PerSecond:#,0}/s on 1");

        double socket;
        await using (DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, Path.Combine(_work, "software-daemon"), ["--key-store", "software"], TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            socket = await ProvesPerSecondAsync(daemon).ConfigureAwait(false);
            _json["daemonStartToReadyMsSoftware"] = Math.Round(daemon.StartToReady.TotalMilliseconds, 1);
        }

        Throughput rawAfter = CpuThroughput.Run(() => raw.CreateOne(), cores, Warmup, Duration);
        double rawRate = (rawBefore.PerSecond + rawAfter.PerSecond) / 2;
        _log.WriteLine($"identity: identity/prove through the socket: {socket:#,0}/s ({_options.ProveCallers} callers); raw again {rawAfter.PerSecond:#,0}/s");

        _json["proofsPerSecSocket"] = Math.Round(socket);
        _json["proofsPerSecRaw"] = Math.Round(rawRate);
        _json["proofRatio"] = Math.Round(socket / rawRate, 3);
        _json["proofsPerSecRawRuns"] = new JsonArray(Math.Round(rawBefore.PerSecond), Math.Round(rawAfter.PerSecond));
        _json["proofsPerSecRawOneThread"] = Math.Round(rawOneThread.PerSecond);
        _json["proofRatioVsOneThread"] = Math.Round(socket / rawOneThread.PerSecond, 3);
        _json["proveCallers"] = _options.ProveCallers;
        _json["rawThreads"] = cores;
        _figures.Add(new Figure("proofsPerSecSocket", "identity/prove via launcherd (software key)", socket, "proofs/s", double.NaN, true, $"{_options.ProveCallers} concurrent callers"));
        _figures.Add(new Figure("proofsPerSecRaw", "ProofWriter.Create + ECDsa in-process", rawRate, "proofs/s", double.NaN, true, $"{cores} threads; 1 thread: {rawOneThread.PerSecond:#,0}/s"));
        _figures.Add(new Figure("proofRatio", "socket / raw", socket / rawRate * 100, "%", 50, true));
    }

    private async Task TpmAsync()
    {
        if (Swtpm.MissingPrerequisite(_layout) is string missing)
        {
            Skip(missing);
            return;
        }

        double seconds = Quick ? 2 : 10;
        int restarts = Quick ? 1 : 3;
        await using Swtpm tpm = await Swtpm.StartAsync(_layout, Path.Combine(_work, "swtpm")).ConfigureAwait(false);
        _log.WriteLine($"identity: swtpm at {tpm.Tcti}");
        string[] daemonArguments = ["--key-store", "tpm", "--tpm-tcti", tpm.Tcti];
        string daemonDirectory = Path.Combine(_work, "tpm-daemon");

        // Native, daemon, native: swtpm serves one client at a time, and the bracket evens out drifting load.
        double nativeBefore = await NativeBenchSign.RunAsync(_layout, tpm.Tcti, seconds).ConfigureAwait(false);
        _log.WriteLine($"identity: lnk-bench-sign: {nativeBefore:#,0} signs/s");

        double viaDaemon;
        double coldStart;
        await using (DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, daemonDirectory, daemonArguments, TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            coldStart = daemon.StartToReady.TotalMilliseconds;
            if (daemon.Status?.IdentityState != IdentityStates.Ready || daemon.Status.KeyClass != KeyClasses.Tpm)
            {
                Skip($"the TPM daemon's identity is {daemon.Status?.KeyClass} {daemon.Status?.IdentityState}: {string.Join("; ", daemon.Status?.Warnings ?? [])}");
                return;
            }

            viaDaemon = await ProvesPerSecondAsync(daemon, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            await daemon.StopAsync().ConfigureAwait(false);
        }

        _log.WriteLine($"identity: identity/prove through a TPM daemon: {viaDaemon:#,0}/s; first start (creates the key) {coldStart:0} ms");
        var starts = new List<double>();
        for (int i = 0; i < restarts; i++)
        {
            await using DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, daemonDirectory, daemonArguments, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            starts.Add(daemon.StartToReady.TotalMilliseconds);
            await daemon.StopAsync().ConfigureAwait(false);
        }

        double nativeAfter = await NativeBenchSign.RunAsync(_layout, tpm.Tcti, seconds).ConfigureAwait(false);
        double native = (nativeBefore + nativeAfter) / 2;
        starts.Sort();
        double start = starts[starts.Count / 2];
        _log.WriteLine($"identity: lnk-bench-sign again: {nativeAfter:#,0} signs/s; restarts ready in {string.Join(", ", starts.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");

        _json["tpmSignsPerSecDaemon"] = Math.Round(viaDaemon, 1);
        _json["tpmSignsPerSecNative"] = Math.Round(native, 1);
        _json["tpmRatio"] = Math.Round(viaDaemon / native, 3);
        _json["tpmSignsPerSecNativeRuns"] = new JsonArray(Math.Round(nativeBefore, 1), Math.Round(nativeAfter, 1));
        _json["daemonStartToReadyMsTpm"] = Math.Round(start, 1);
        _json["daemonStartToReadyMsTpmRuns"] = new JsonArray(starts.Select(s => (JsonNode?)Math.Round(s, 1)).ToArray());
        _json["daemonStartToReadyMsTpmFirstStart"] = Math.Round(coldStart, 1);
        _json["tpmTcti"] = tpm.Tcti;
        _figures.Add(new Figure("tpmSignsPerSecNative", "lnk-bench-sign against swtpm", native, "signs/s", double.NaN, true));
        _figures.Add(new Figure("tpmSignsPerSecDaemon", "identity/prove via a TPM launcherd", viaDaemon, "proofs/s", double.NaN, true));
        _figures.Add(new Figure("tpmRatio", "daemon / native", viaDaemon / native * 100, "%", 80, true));
        _figures.Add(new Figure("daemonStartToReadyMsTpm", "spawn → daemon/status answers (TPM, key exists)", start, "ms", double.NaN, false, $"first start, creating the key: {coldStart:0} ms"));
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

    private Task<double> ProvesPerSecondAsync(DaemonProcess daemon) => ProvesPerSecondAsync(daemon, Duration);

    private async Task<double> ProvesPerSecondAsync(DaemonProcess daemon, TimeSpan duration)
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

            Throughput t = await Measure.ThroughputAsync(caller => connections[caller % connectionCount].InvokeAsync(Methods.IdentityProve, request), callers, MaxWarmup, duration).ConfigureAwait(false);
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
