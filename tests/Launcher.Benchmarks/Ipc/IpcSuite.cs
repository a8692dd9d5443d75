using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;
using Launcher.Contracts;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Ipc;

/// <summary>
/// Suite <c>ipc</c>: the raw Unix-socket baseline, JSON-RPC round trips and pipelined throughput through a real
/// launcherd and through the engine alone (in-process no-op server), and a 1,000-agent notification fan-out.
/// </summary>
internal sealed class IpcSuite
{
    private const int Agents = 1000;
    private readonly RepoLayout _layout;
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;
    private readonly JsonObject _json = [];
    private readonly List<Figure> _figures = [];

    public IpcSuite(RepoLayout layout, BenchOptions options, string workDirectory, TextWriter log)
    {
        _layout = layout;
        _options = options;
        _work = workDirectory;
        _log = log;
    }

    private bool Quick => _options.Quick;

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        await using (DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, Path.Combine(_work, "ipc-daemon"), ["--key-store", "software"], TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        await using (var noop = new NoopServer(Path.Combine(_work, "noop.sock")))
        {
            _log.WriteLine($"ipc: launcherd pid {daemon.Pid} ready in {daemon.StartToReady.TotalMilliseconds:0} ms");
            await RoundTripsAsync(daemon, noop).ConfigureAwait(false);
            await PipelinedAsync(daemon, noop).ConfigureAwait(false);
        }

        await FanOutAsync().ConfigureAwait(false);
        return (_json, _figures);
    }

    private async Task RoundTripsAsync(DaemonProcess daemon, NoopServer noop)
    {
        // Each kind is measured in interleaved blocks, so a burst of load from other work on the machine falls on
        // the baseline and the measured paths alike.
        int blocks = Quick ? 2 : 6;
        int perBlock = Quick ? 1500 : 5000;
        TimeSpan warmup = TimeSpan.FromSeconds(Quick ? 1 : 3);
        TimeSpan cap = TimeSpan.FromSeconds(Quick ? 1.5 : 6);

        string echoPath = Path.Combine(_work, "echo.sock");
        string childEchoPath = Path.Combine(_work, "echo-child.sock");
        using Socket echoListener = RawEcho.Listen(echoPath);
        Task echoServer = RawEcho.ServeAsync(echoListener);
        await using ChildProcess echoChild = ChildProcess.Start(DotnetHost.Path, [typeof(IpcSuite).Assembly.Location, "--echo-server", childEchoPath], redirectInput: true);
        await echoChild.FirstLine.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);

        using RawEchoClient rawInProcess = await RawEchoClient.ConnectAsync(echoPath).ConfigureAwait(false);
        using RawEchoClient rawCrossProcess = await RawEchoClient.ConnectAsync(childEchoPath).ConfigureAwait(false);
        await using JsonRpcConnection admin = await daemon.ConnectAsync().ConfigureAwait(false);
        await using JsonRpcConnection noopClient = await UnixRpc.ConnectAsync(noop.SocketPath).ConfigureAwait(false);

        // A call on each at once: the engine closes a connection (client side too) that receives nothing within
        // RpcLimits.FirstMessageTimeout (10 s), and the warm-ups of the other kinds take longer than that.
        await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance).ConfigureAwait(false);
        await noopClient.InvokeAsync(BenchMethods.Noop, EmptyParams.Instance).ConfigureAwait(false);

        var kinds = new (string Name, Func<Task> Call)[]
        {
            ("rawUdsInProcess", rawInProcess.PingAsync),
            ("rawUdsCrossProcess", rawCrossProcess.PingAsync),
            ("daemonStatus", () => admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance)),
            ("identityGet", () => admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance)),
            ("noopInProcess", () => noopClient.InvokeAsync(BenchMethods.Noop, EmptyParams.Instance)),
        };
        var samples = kinds.ToDictionary(k => k.Name, _ => new List<long[]>());
        foreach ((string name, Func<Task> call) in kinds)
        {
            await Measure.WarmUpAsync(call, warmup).ConfigureAwait(false);
        }

        for (int block = 0; block < blocks; block++)
        {
            foreach ((string name, Func<Task> call) in kinds)
            {
                await Measure.WarmUpAsync(call, TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
                samples[name].Add(await Measure.RoundTripsAsync(call, perBlock, cap).ConfigureAwait(false));
            }
        }

        echoListener.Dispose();
        await echoServer.ConfigureAwait(false);
        echoChild.StandardInput.Close();

        var summaries = samples.ToDictionary(p => p.Key, p => LatencySummary.FromTicks(p.Value));
        var roundTrips = new JsonObject();
        foreach ((string name, LatencySummary summary) in summaries)
        {
            roundTrips[name] = summary.ToJson();
            _log.WriteLine($"ipc: round trip {name,-20} {summary}");
        }

        LatencySummary baseline = summaries["rawUdsInProcess"];
        LatencySummary rpc = summaries["daemonStatus"];
        LatencySummary engine = summaries["noopInProcess"];
        _json["rawUdsRoundTripUs"] = LatencySummary.Round(baseline.MeanUs);
        _json["rpcRoundTripUs"] = LatencySummary.Round(rpc.MeanUs);
        _json["rpcRoundTripMethod"] = Methods.DaemonStatus.Name;
        _json["rpcRoundTripRatio"] = Math.Round(rpc.MeanUs / baseline.MeanUs, 2);
        _json["rpcRoundTripRatioP50"] = Math.Round(rpc.P50Us / baseline.P50Us, 2);
        _json["rawUdsCrossProcessRoundTripUs"] = LatencySummary.Round(summaries["rawUdsCrossProcess"].MeanUs);
        _json["rpcRoundTripRatioVsCrossProcess"] = Math.Round(rpc.MeanUs / summaries["rawUdsCrossProcess"].MeanUs, 2);
        _json["noopRoundTripUs"] = LatencySummary.Round(engine.MeanUs);
        _json["noopRoundTripRatio"] = Math.Round(engine.MeanUs / baseline.MeanUs, 2);
        _json["identityGetRoundTripUs"] = LatencySummary.Round(summaries["identityGet"].MeanUs);
        _json["roundTrips"] = roundTrips;

        _figures.Add(new Figure("rawUdsRoundTripUs", "raw UDS ping-pong, 100 B (baseline)", baseline.MeanUs, "µs", double.NaN, false, $"p50 {baseline.P50Us:0.0}, p99 {baseline.P99Us:0.0}"));
        _figures.Add(new Figure("rpcRoundTripUs", "daemon/status through launcherd", rpc.MeanUs, "µs", double.NaN, false, $"p50 {rpc.P50Us:0.0}, p99 {rpc.P99Us:0.0}"));
        _figures.Add(new Figure("rpcRoundTripRatio", "rpc / raw (mean)", rpc.MeanUs / baseline.MeanUs, "x", 1.5, false,
            $"vs a cross-process raw echo: {rpc.MeanUs / summaries["rawUdsCrossProcess"].MeanUs:0.00}x; p50 ratio {rpc.P50Us / baseline.P50Us:0.00}x"));
        _figures.Add(new Figure("noopRoundTripRatio", "in-process no-op server / raw (mean)", engine.MeanUs / baseline.MeanUs, "x", 1.5, false,
            $"no-op {engine.MeanUs:0.0} µs, p99 {engine.P99Us:0.0}"));
    }

    private async Task PipelinedAsync(DaemonProcess daemon, NoopServer noop)
    {
        int[] windows = Quick ? [256] : [64, 256, 1024];
        TimeSpan warmup = TimeSpan.FromSeconds(Quick ? 3 : 10);
        TimeSpan duration = TimeSpan.FromSeconds(Quick ? 1.5 : 5);
        var pipelined = new JsonObject();
        double bestDaemon = 0;
        double bestNoop = 0;
        double bestIdentityGet = 0;
        foreach (int window in windows)
        {
            await using (JsonRpcConnection admin = await daemon.ConnectAsync().ConfigureAwait(false))
            {
                Throughput t = await Measure.ThroughputAsync(_ => admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance), window, warmup, duration).ConfigureAwait(false);
                pipelined[$"daemonStatusWindow{window}"] = Math.Round(t.PerSecond);
                bestDaemon = Math.Max(bestDaemon, t.PerSecond);
                _log.WriteLine($"ipc: pipelined daemon/status, window {window,4}: {t.PerSecond,9:#,0} calls/s");
            }

            // identity/get: the same daemon and engine, a handler without SQLite (and a larger result).
            await using (JsonRpcConnection admin = await daemon.ConnectAsync().ConfigureAwait(false))
            {
                Throughput t = await Measure.ThroughputAsync(_ => admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance), window, warmup, duration).ConfigureAwait(false);
                pipelined[$"identityGetWindow{window}"] = Math.Round(t.PerSecond);
                bestIdentityGet = Math.Max(bestIdentityGet, t.PerSecond);
                _log.WriteLine($"ipc: pipelined identity/get, window {window,4}: {t.PerSecond,9:#,0} calls/s");
            }

            await using (JsonRpcConnection client = await UnixRpc.ConnectAsync(noop.SocketPath).ConfigureAwait(false))
            {
                Throughput t = await Measure.ThroughputAsync(_ => client.InvokeAsync(BenchMethods.Noop, EmptyParams.Instance), window, warmup, duration).ConfigureAwait(false);
                pipelined[$"noopInProcessWindow{window}"] = Math.Round(t.PerSecond);
                bestNoop = Math.Max(bestNoop, t.PerSecond);
                _log.WriteLine($"ipc: pipelined no-op (in-process), window {window,4}: {t.PerSecond,9:#,0} calls/s");
            }
        }

        _json["pipelinedCallsPerSec"] = Math.Round(bestDaemon);
        _json["pipelinedCallsPerSecNoop"] = Math.Round(bestNoop);
        _json["pipelinedCallsPerSecIdentityGet"] = Math.Round(bestIdentityGet);
        _json["pipelined"] = pipelined;
        _figures.Add(new Figure("pipelinedCallsPerSec", "daemon/status, one connection, best window", bestDaemon, "calls/s", 50_000, true,
            $"identity/get through the same daemon: {bestIdentityGet:#,0} calls/s"));
        _figures.Add(new Figure("pipelinedCallsPerSecNoop", "in-process no-op server, best window", bestNoop, "calls/s", 50_000, true));
    }

    private async Task FanOutAsync()
    {
        int warmRounds = Quick ? 1 : 5;
        await using DaemonProcess daemon = await DaemonProcess.StartAsync(_layout, Path.Combine(_work, "fanout-daemon"), ["--key-store", "software"], TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        (double idleRss, _) = daemon.Memory();
        await using var agents = new FanOutAgents();
        long connectStart = Stopwatch.GetTimestamp();
        await agents.ConnectAsync(daemon, Agents, parallel: 64).ConfigureAwait(false);
        TimeSpan connectTime = Stopwatch.GetElapsedTime(connectStart);
        (double registeredRss, _) = daemon.Memory();
        _log.WriteLine($"ipc: {Agents} agents registered in {connectTime.TotalMilliseconds:0} ms; daemon RSS {idleRss:0} MB idle, {registeredRss:0} MB with agents");

        await using JsonRpcConnection admin = await daemon.ConnectAsync().ConfigureAwait(false);
        var rounds = new JsonArray();
        double first = double.NaN;
        double rssAfterFirst = double.NaN;
        var warm = new List<double>();
        for (int round = 0; round <= warmRounds; round++)
        {
            FanOutRound counted = agents.BeginRound();
            long start = Stopwatch.GetTimestamp();
            SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams
            {
                AllUsers = true,
                Title = "Benchmark",
                Body = $"Fan-out round {round}",
                ExpiresInSeconds = 600,
            }).ConfigureAwait(false);
            long sendReturned = Stopwatch.GetTimestamp();
            bool done = await Task.WhenAny(counted.AllAcked, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false) == counted.AllAcked;
            if (!done)
            {
                throw new TimeoutException($"fan-out round {round}: {counted.Shows} shows and {counted.Acks} acks of {Agents} after 60 s\n{daemon.Tail()}");
            }

            double ms = (counted.LastAckAt - start) * 1000.0 / Stopwatch.Frequency;
            if (round == 0)
            {
                first = ms;
                (rssAfterFirst, _) = daemon.Memory();
            }
            else
            {
                warm.Add(ms);
            }

            rounds.Add(new JsonObject
            {
                ["round"] = round,
                ["deliveredNow"] = sent.DeliveredNow,
                ["sendReturnedMs"] = Math.Round((sendReturned - start) * 1000.0 / Stopwatch.Frequency, 1),
                ["allShownMs"] = Math.Round((counted.LastShowAt - start) * 1000.0 / Stopwatch.Frequency, 1),
                ["allAckedMs"] = Math.Round(ms, 1),
                ["acksRecorded"] = counted.Recorded,
                ["acksFailed"] = counted.Failed,
                ["distinctIds"] = counted.DistinctIds,
            });
            _log.WriteLine($"ipc: fan-out round {round}: send returned {(sendReturned - start) * 1000.0 / Stopwatch.Frequency:0.0} ms, all shown {(counted.LastShowAt - start) * 1000.0 / Stopwatch.Frequency:0.0} ms, all acked {ms:0.0} ms (delivered {sent.DeliveredNow}, recorded {counted.Recorded}, failed {counted.Failed})");
            if (counted.Failed > 0 || counted.Recorded != 1 || counted.DistinctIds != 1 || sent.DeliveredNow != Agents)
            {
                throw new InvalidOperationException($"fan-out round {round} is not what it should be: delivered {sent.DeliveredNow}, {counted.Failed} acks failed, {counted.Recorded} recorded, {counted.DistinctIds} ids");
            }
        }

        (double rssEnd, double peak) = daemon.Memory();
        warm.Sort();
        double warmMedian = warm.Count > 0 ? warm[warm.Count / 2] : double.NaN;
        _json["fanout1000Ms"] = Math.Round(first, 1);
        _json["fanout1000MsWarmMedian"] = Math.Round(warmMedian, 1);
        _json["daemonRssMbAt1000"] = Math.Round(rssAfterFirst, 1);
        _json["daemonRssMbIdle"] = Math.Round(idleRss, 1);
        _json["daemonRssMbAgentsRegistered"] = Math.Round(registeredRss, 1);
        _json["daemonRssMbAfterAllRounds"] = Math.Round(rssEnd, 1);
        _json["daemonRssMbPeak"] = Math.Round(peak, 1);
        _json["agentsConnectAndRegisterMs"] = Math.Round(connectTime.TotalMilliseconds, 1);
        _json["fanoutRounds"] = rounds;
        _figures.Add(new Figure("fanout1000Ms", "send → 1,000 acks back (first send)", first, "ms", 1000, false, $"warm median of {warm.Count}: {warmMedian:0.0} ms"));
        _figures.Add(new Figure("daemonRssMbAt1000", "launcherd VmRSS, 1,000 agents, after fan-out", rssAfterFirst, "MB", 150, false, $"idle {idleRss:0.0} MB, peak {peak:0.0} MB"));
    }
}
