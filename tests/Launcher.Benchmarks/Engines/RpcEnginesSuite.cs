using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;
using Launcher.Benchmarks.Ipc;

namespace Launcher.Benchmarks.Engines;

/// <summary>
/// Suite <c>rpc-engines</c>: the project's engine against StreamJsonRpc (header-delimited + System.Text.Json, and
/// length-prefixed + MessagePack), in one run, on the same machine and the same Unix sockets: a no-op round trip,
/// pipelined calls per second, bytes allocated per call, server memory with many connections, and the bad-input
/// cases (docs/architecture.md, "The RPC engine, by measurement").
/// </summary>
internal sealed class RpcEnginesSuite
{
    private static readonly EngineKind[] s_kinds = [EngineKind.Launcher, EngineKind.StreamJsonRpcJson, EngineKind.StreamJsonRpcMessagePack];
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;
    private readonly JsonObject _json = [];
    private readonly List<Figure> _figures = [];

    public RpcEnginesSuite(BenchOptions options, string workDirectory, TextWriter log)
    {
        _options = options;
        _work = workDirectory;
        _log = log;
    }

    private bool Quick => _options.Quick;

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        Directory.CreateDirectory(_work);
        var paths = new Dictionary<EngineKind, string>
        {
            [EngineKind.Launcher] = Path.Combine(_work, "ours.sock"),
            [EngineKind.StreamJsonRpcJson] = Path.Combine(_work, "sjr.sock"),
            [EngineKind.StreamJsonRpcMessagePack] = Path.Combine(_work, "sjr-mp.sock"),
        };
        string safePath = Path.Combine(_work, "sjr-safe.sock");
        await using (var ours = new NoopServer(paths[EngineKind.Launcher]))
        await using (var sjr = new SjrServer(paths[EngineKind.StreamJsonRpcJson], EngineKind.StreamJsonRpcJson, safe: false))
        await using (var sjrMp = new SjrServer(paths[EngineKind.StreamJsonRpcMessagePack], EngineKind.StreamJsonRpcMessagePack, safe: true))
        await using (var sjrSafe = new SjrServer(safePath, EngineKind.StreamJsonRpcJson, safe: true))
        {
            await RoundTripsAsync(paths).ConfigureAwait(false);
            await PipelinedAsync(paths).ConfigureAwait(false);
            await AllocationsAsync(paths).ConfigureAwait(false);
            await BadInputAsync(paths[EngineKind.Launcher], paths[EngineKind.StreamJsonRpcJson], safePath).ConfigureAwait(false);
        }

        await MemoryAsync().ConfigureAwait(false);
        return (_json, _figures);
    }

    private static string Key(EngineKind kind) => kind switch
    {
        EngineKind.Launcher => "launcher",
        EngineKind.StreamJsonRpcJson => "streamJsonRpcJson",
        _ => "streamJsonRpcMessagePack",
    };

    private async Task RoundTripsAsync(Dictionary<EngineKind, string> paths)
    {
        int blocks = Quick ? 2 : 6;
        int perBlock = Quick ? 1000 : 5000;
        var clients = new Dictionary<EngineKind, EngineClient>();
        var samples = s_kinds.ToDictionary(k => k, _ => new List<long[]>());
        try
        {
            foreach (EngineKind kind in s_kinds)
            {
                clients[kind] = await EngineClient.ConnectAsync(kind, paths[kind]).ConfigureAwait(false);
                await Measure.WarmUpAsync(clients[kind].CallAsync, TimeSpan.FromSeconds(Quick ? 1 : 3)).ConfigureAwait(false);
            }

            // Interleaved blocks: a burst of load elsewhere on the machine falls on every engine alike.
            for (int block = 0; block < blocks; block++)
            {
                foreach (EngineKind kind in s_kinds)
                {
                    samples[kind].Add(await Measure.RoundTripsAsync(clients[kind].CallAsync, perBlock, TimeSpan.FromSeconds(Quick ? 2 : 6)).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (EngineClient client in clients.Values)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        var json = new JsonObject();
        LatencySummary ours = LatencySummary.FromTicks(samples[EngineKind.Launcher]);
        foreach (EngineKind kind in s_kinds)
        {
            LatencySummary summary = LatencySummary.FromTicks(samples[kind]);
            json[Key(kind)] = summary.ToJson();
            _log.WriteLine($"rpc-engines: round trip {Key(kind)}: {summary}");
            _figures.Add(new Figure($"roundTripP50Us.{Key(kind)}", $"no-op round trip p50, {Key(kind)}", summary.P50Us, "µs", double.NaN, false));
        }

        double ratio = LatencySummary.FromTicks(samples[EngineKind.StreamJsonRpcJson]).P50Us / ours.P50Us;
        json["streamJsonRpcJsonOverLauncherP50"] = Math.Round(ratio, 2);
        _figures.Add(new Figure("roundTripRatio", "round trip p50, StreamJsonRpc (JSON) ÷ ours", Math.Round(ratio, 2), "×", double.NaN, true));
        _json["roundTrip"] = json;
    }

    private async Task PipelinedAsync(Dictionary<EngineKind, string> paths)
    {
        const int Callers = 64;
        var json = new JsonObject { ["callersOnOneConnection"] = Callers };
        var rates = new Dictionary<EngineKind, double>();
        foreach (EngineKind kind in s_kinds)
        {
            await using EngineClient client = await EngineClient.ConnectAsync(kind, paths[kind]).ConfigureAwait(false);
            Throughput rate = await Measure.ThroughputAsync(_ => client.CallAsync(), Callers, TimeSpan.FromSeconds(Quick ? 2 : 5), TimeSpan.FromSeconds(Quick ? 2 : 5)).ConfigureAwait(false);
            rates[kind] = rate.PerSecond;
            json[Key(kind)] = Math.Round(rate.PerSecond);
            _log.WriteLine($"rpc-engines: pipelined {Key(kind)}: {rate.PerSecond:0} calls/s");
            _figures.Add(new Figure($"pipelinedPerSec.{Key(kind)}", $"pipelined calls/s (64 in flight), {Key(kind)}", Math.Round(rate.PerSecond), "/s", double.NaN, true));
        }

        json["launcherOverStreamJsonRpcJson"] = Math.Round(rates[EngineKind.Launcher] / rates[EngineKind.StreamJsonRpcJson], 2);
        _json["pipelined"] = json;
    }

    private async Task AllocationsAsync(Dictionary<EngineKind, string> paths)
    {
        int calls = Quick ? 5_000 : 20_000;
        var json = new JsonObject { ["calls"] = calls, ["note"] = "client and server in this process: bytes allocated by both, per call" };
        foreach (EngineKind kind in s_kinds)
        {
            await using EngineClient client = await EngineClient.ConnectAsync(kind, paths[kind]).ConfigureAwait(false);
            await Measure.WarmUpAsync(client.CallAsync, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < calls; i++)
            {
                await client.CallAsync().ConfigureAwait(false);
            }

            double perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
            json[Key(kind)] = Math.Round(perCall);
            _log.WriteLine($"rpc-engines: allocated {Key(kind)}: {perCall:0} bytes/call");
            _figures.Add(new Figure($"allocatedBytesPerCall.{Key(kind)}", $"bytes allocated per call, {Key(kind)}", Math.Round(perCall), "B", double.NaN, false));
        }

        _json["allocations"] = json;
    }

    private async Task BadInputAsync(string oursPath, string sjrPath, string sjrSafePath)
    {
        var json = new JsonObject
        {
            ["launcher"] = await EngineProbes.RunAsync(oursPath, Quick).ConfigureAwait(false),
            ["streamJsonRpcJsonDefault"] = await EngineProbes.RunAsync(sjrPath, Quick).ConfigureAwait(false),
            ["streamJsonRpcJsonSafe"] = await EngineProbes.RunAsync(sjrSafePath, Quick).ConfigureAwait(false),
        };
        foreach ((string engine, JsonNode? result) in json)
        {
            _log.WriteLine($"rpc-engines: bad input {engine}: {result?.ToJsonString()}");
        }

        _json["badInput"] = json;
    }

    private async Task MemoryAsync()
    {
        int connections = Quick ? 200 : 1000;
        var json = new JsonObject { ["connections"] = connections };
        foreach (EngineKind kind in s_kinds)
        {
            string path = Path.Combine(_work, $"mem-{Key(kind)}.sock");
            await using ChildProcess child = ChildProcess.Start(DotnetHost.Path, [typeof(RpcEnginesSuite).Assembly.Location, "--engine-server", kind.ToString(), path], redirectInput: true);
            string first = await child.FirstLine.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (first != "ready")
            {
                throw new InvalidOperationException($"engine server {kind} said '{first}': {child.Tail()}");
            }

            var clients = new List<EngineClient>();
            try
            {
                // One call first, so the server has compiled and allocated what a single connection needs.
                clients.Add(await EngineClient.ConnectAsync(kind, path).ConfigureAwait(false));
                await clients[0].CallAsync().ConfigureAwait(false);
                await Task.Delay(500).ConfigureAwait(false);
                double baseline = child.Memory().RssMb;
                while (clients.Count < connections)
                {
                    EngineClient client = await EngineClient.ConnectAsync(kind, path).ConfigureAwait(false);
                    clients.Add(client);
                    await client.CallAsync().ConfigureAwait(false);
                }

                await Task.Delay(1000).ConfigureAwait(false);
                double loaded = child.Memory().RssMb;
                double perConnectionKb = (loaded - baseline) * 1024 / (connections - 1);
                json[Key(kind)] = new JsonObject
                {
                    ["rssOneConnectionMb"] = Math.Round(baseline, 1),
                    ["rssMb"] = Math.Round(loaded, 1),
                    ["perConnectionKb"] = Math.Round(perConnectionKb, 1),
                };
                _log.WriteLine($"rpc-engines: server RSS {Key(kind)}: {baseline:0.0} MB with 1 connection, {loaded:0.0} MB with {connections} ({perConnectionKb:0.0} KB each)");
                _figures.Add(new Figure($"serverRssMb.{Key(kind)}", $"server RSS with {connections} connections, {Key(kind)}", Math.Round(loaded, 1), "MB", double.NaN, false));
            }
            finally
            {
                foreach (EngineClient client in clients)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }

                child.StandardInput.Close();
            }
        }

        _json["memory"] = json;
    }
}
