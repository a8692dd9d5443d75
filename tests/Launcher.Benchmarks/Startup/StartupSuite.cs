using System.Globalization;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Startup;

/// <summary>
/// Start-up and footprint of launcherd: from spawning <c>dotnet launcherd.dll run --dev --key-store software</c> to
/// the first daemon/status answer, and the daemon's RSS after an idle pause, as the median of N starts per variant.
/// Variants are builds (the build output, and any <c>--compare NAME=PATH</c>, e.g. a ReadyToRun publish) and runtime
/// knobs (DOTNET_* variables). Starts of all variants are interleaved round by round, so load bursts on a shared
/// machine fall on every variant alike. The key exists before the measured starts (one unrecorded start creates it).
/// </summary>
internal sealed class StartupSuite
{
    private static readonly TimeSpan s_idlePause = TimeSpan.FromSeconds(2);

    private readonly RepoLayout _layout;
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;

    public StartupSuite(RepoLayout layout, BenchOptions options, string work, TextWriter log)
    {
        _layout = layout;
        _options = options;
        _work = work;
        _log = log;
    }

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        List<StartupVariant> variants = Variants();
        int runs = _options.StartupRuns ?? (_options.Quick ? 3 : 9);
        var samples = variants.ToDictionary(v => v.Name, _ => new List<StartupSample>());
        _log.WriteLine($"startup: {variants.Count} variants x {runs} starts (+1 warm-up each), idle pause {s_idlePause.TotalSeconds:0} s");

        // Warm-up: page cache, and each variant's state directory gets its key.
        foreach (StartupVariant variant in variants)
        {
            await StartOnceAsync(variant).ConfigureAwait(false);
        }

        for (int round = 0; round < runs; round++)
        {
            foreach (StartupVariant variant in variants)
            {
                StartupSample sample = await StartOnceAsync(variant).ConfigureAwait(false);
                samples[variant.Name].Add(sample);
                _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1} {variant.Name,-28} socket {sample.SocketMs,6:0} ms  ready {sample.ReadyMs,6:0} ms  cpu {sample.CpuMs,5:0} ms  RSS {sample.IdleRssMb,5:0.0} MB  PSS {sample.IdlePssMb,5:0.0} MB  private dirty {sample.PrivateDirtyMb,5:0.0} MB"));
            }
        }

        var json = new JsonObject { ["runsPerVariant"] = runs, ["idlePauseSeconds"] = s_idlePause.TotalSeconds };
        var perVariant = new JsonObject();
        var figures = new List<Figure>();
        foreach (StartupVariant variant in variants)
        {
            List<StartupSample> list = samples[variant.Name];
            double ready = Median(list.Select(s => s.ReadyMs));
            double rss = Median(list.Select(s => s.IdleRssMb));
            perVariant[variant.Name] = new JsonObject
            {
                ["launcherd"] = variant.LauncherdPath,
                ["environment"] = new JsonObject(variant.Environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
                ["startToSocketMsMedian"] = Round(Median(list.Select(s => s.SocketMs))),
                ["startToReadyMsMedian"] = Round(ready),
                ["startToReadyMsMin"] = Round(list.Min(s => s.ReadyMs)),
                ["startToReadyMsMax"] = Round(list.Max(s => s.ReadyMs)),
                ["cpuMsToReadyMedian"] = Round(Median(list.Select(s => s.CpuMs))),
                ["idleRssMbMedian"] = Round(rss),
                ["idlePssMbMedian"] = Round(Median(list.Select(s => s.IdlePssMb))),
                ["privateDirtyMbMedian"] = Round(Median(list.Select(s => s.PrivateDirtyMb))),
                ["peakRssMbMedian"] = Round(Median(list.Select(s => s.PeakRssMb))),
                ["samples"] = new JsonArray([.. list.Select(s => (JsonNode)new JsonObject { ["socketMs"] = Round(s.SocketMs), ["readyMs"] = Round(s.ReadyMs), ["cpuMs"] = Round(s.CpuMs), ["idleRssMb"] = Round(s.IdleRssMb), ["idlePssMb"] = Round(s.IdlePssMb) })]),
            };
            bool headline = variant == variants[0];
            figures.Add(new Figure(headline ? "startToReadyMs" : $"startToReadyMs[{variant.Name}]", $"start to ready, {variant.Name}", Round(ready), "ms", headline ? 300 : double.NaN, HigherIsBetter: false));
            figures.Add(new Figure(headline ? "cpuMsToReady" : $"cpuMsToReady[{variant.Name}]", $"CPU to ready, {variant.Name}", Round(Median(list.Select(s => s.CpuMs))), "ms", double.NaN, HigherIsBetter: false));
            figures.Add(new Figure(headline ? "idleRssMb" : $"idleRssMb[{variant.Name}]", $"idle RSS, {variant.Name}", Round(rss), "MB", headline ? 40 : double.NaN, HigherIsBetter: false));
            figures.Add(new Figure(headline ? "idlePssMb" : $"idlePssMb[{variant.Name}]", $"idle PSS, {variant.Name}", Round(Median(list.Select(s => s.IdlePssMb))), "MB", double.NaN, HigherIsBetter: false));
        }

        json["startToReadyMs"] = figures[0].Value;
        json["cpuMsToReady"] = figures[1].Value;
        json["idleRssMb"] = figures[2].Value;
        json["variants"] = perVariant;
        return (json, figures);
    }

    private List<StartupVariant> Variants()
    {
        var none = new Dictionary<string, string>();
        var builds = new List<(string Name, string Path)> { ("launcherd", _layout.LauncherdPath) };
        builds.AddRange(_options.Compare);
        var variants = new List<StartupVariant>();
        foreach ((string name, string path) in builds)
        {
            variants.Add(new StartupVariant(name, path, none));
        }

        if (!_options.Quick)
        {
            // Runtime knobs on the measured build (--launcherd, else the build output): what each does to start and RSS.
            (string baseName, string basePath) = builds[0];
            variants.Add(new StartupVariant($"{baseName}+TieredPGO=0", basePath, new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" }));
            variants.Add(new StartupVariant($"{baseName}+TC=0", basePath, new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }));
            variants.Add(new StartupVariant($"{baseName}+ConserveMemory=7", basePath, new Dictionary<string, string> { ["DOTNET_GCConserveMemory"] = "7" }));
            variants.Add(new StartupVariant($"{baseName}+gen0=1MB", basePath, new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x100000" }));
            variants.Add(new StartupVariant($"{baseName}+ReadyToRun=0", basePath, new Dictionary<string, string> { ["DOTNET_ReadyToRun"] = "0" }));
        }

        return variants;
    }

    private async Task<StartupSample> StartOnceAsync(StartupVariant variant)
    {
        string directory = Path.Combine(_work, Sanitize(variant.Name));
        DaemonProcess daemon = await DaemonProcess.StartAsync(variant.LauncherdPath, directory, ["--key-store", "software"], TimeSpan.FromSeconds(60), variant.Environment).ConfigureAwait(false);
        await using (daemon.ConfigureAwait(false))
        {
            await Task.Delay(s_idlePause).ConfigureAwait(false);
            (double rss, double peak) = daemon.Memory();
            (double pss, double dirty) = daemon.ProportionalMemory();
            var sample = new StartupSample(daemon.StartToSocket.TotalMilliseconds, daemon.StartToReady.TotalMilliseconds, daemon.CpuAtReady.TotalMilliseconds, rss, peak, pss, dirty);
            await daemon.StopAsync().ConfigureAwait(false);
            return sample;
        }
    }

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Round(double value) => Math.Round(value, 1);
}
