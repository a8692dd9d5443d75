using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Fleet;

/// <summary>
/// The fleet suite (issue 6 §6): N simulated machines in this process against one launcher-fleet child, each
/// enrolled for real and then authenticated on a second connection (timed), the raw TLS handshake rate of the same
/// Kestrel endpoint as the baseline, one broadcast to every machine until every outcome is stored at the server (then
/// one POST per machine for comparison),
/// and the server's RSS with N connections. SQLite at N (10,000; 300 with --quick), then PostgreSQL at 1,000.
/// </summary>
internal sealed class FleetSuite
{
    private readonly RepoLayout _layout;
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;
    private readonly List<Figure> _figures = [];

    public FleetSuite(RepoLayout layout, BenchOptions options, string workDirectory, TextWriter log)
    {
        _layout = layout;
        _options = options;
        _work = workDirectory;
        _log = log;
    }

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        int machines = _options.FleetMachines ?? (_options.Quick ? 300 : 10_000);
        int postgresMachines = _options.Quick ? 0 : _options.FleetPostgresMachines ?? 1_000;
        int concurrency = _options.FleetConcurrency;
        _log.WriteLine($"fleet: {machines} machines on SQLite{(postgresMachines > 0 ? $", {postgresMachines} on PostgreSQL" : string.Empty)}, {concurrency} connects in flight");

        JsonObject sqlite = await RunStoreAsync("sqlite", machines, null, concurrency).ConfigureAwait(false);
        var json = new JsonObject
        {
            ["machines"] = machines,
            ["connectAuthSeconds"] = sqlite["connectAuthSeconds"]!.DeepClone(),
            ["authPerSec"] = sqlite["authPerSec"]!.DeepClone(),
            ["rawTlsHandshakesPerSec"] = sqlite["rawTlsHandshakesPerSec"]!.DeepClone(),
            ["authToRawRatio"] = sqlite["authToRawRatio"]!.DeepClone(),
            ["pushAllAckedMs"] = sqlite["pushAllAckedMs"]!.DeepClone(),
            ["pushPerMachineAllAckedMs"] = sqlite["pushPerMachineAllAckedMs"]!.DeepClone(),
            ["serverRssMb"] = sqlite["serverRssMb"]!.DeepClone(),
            ["concurrency"] = concurrency,
            ["sqlite"] = sqlite,
        };
        AddFigures(string.Empty, sqlite, machines, judged: true);

        if (postgresMachines > 0)
        {
            json["postgres"] = await RunPostgresAsync(postgresMachines, concurrency).ConfigureAwait(false);
        }
        else
        {
            json["postgres"] = null;
            json["postgresSkipped"] = _options.Quick ? "--quick runs SQLite only" : "--postgres-machines 0";
        }

        return (json, _figures);
    }

    private static double Round(double value, int digits = 1) => Math.Round(value, digits);

    private void AddFigures(string prefix, JsonObject run, int machines, bool judged)
    {
        double Get(string key) => run[key]!.GetValue<double>();
        string store = prefix.Length == 0 ? "SQLite" : "PostgreSQL";
        double nan = double.NaN;
        _figures.Add(new Figure(prefix + "connectAuthSeconds", $"{machines:#,0} connected + authenticated ({store})", Get("connectAuthSeconds"), "s", judged ? 20 : nan, false,
            $"enrolment before it: {Get("enrolSeconds"):0.0} s"));
        _figures.Add(new Figure(prefix + "authPerSec", $"authentications/s ({store})", Get("authPerSec"), "/s", nan, true));
        _figures.Add(new Figure(prefix + "rawTlsHandshakesPerSec", $"raw TLS handshakes/s, same endpoint (baseline, {store})", Get("rawTlsHandshakesPerSec"), "/s", nan, true));
        _figures.Add(new Figure(prefix + "authToRawRatio", $"authentication / raw handshake rate ({store})", Get("authToRawRatio") * 100, "%", judged ? 50 : nan, true));
        _figures.Add(new Figure(prefix + "pushAllAckedMs", $"broadcast to all {machines:#,0} until stored outcomes ({store})", Get("pushAllAckedMs"), "ms", judged ? 5000 : nan, false,
            $"POST answered at {Get("pushPostsDoneMs"):0} ms; server {Get("serverCpuMsPerBroadcastMachine"):0.000} ms CPU per machine"));
        _figures.Add(new Figure(prefix + "pushPerMachineAllAckedMs", $"one POST per machine to all {machines:#,0} until stored outcomes ({store})", Get("pushPerMachineAllAckedMs"), "ms", nan, false,
            $"POSTs done at {Get("pushPerMachinePostsDoneMs"):0} ms; server {Get("serverCpuMsPerNotification"):0.000} ms CPU per notification"));
        _figures.Add(new Figure(prefix + "serverRssMb", $"server RSS with {machines:#,0} connections ({store})", Get("serverRssMb"), "MB", judged ? 1024 : nan, false,
            $"idle {Get("serverRssIdleMb"):0}, peak {Get("serverRssPeakMb"):0}"));
    }

    private async Task<JsonObject> RunPostgresAsync(int machines, int concurrency)
    {
        if (!File.Exists(_layout.PostgresScript) || !PostgresInstalled())
        {
            _figures.Add(new Figure("postgres.connectAuthSeconds", "PostgreSQL run", null, "s", double.NaN, false, "PostgreSQL is not installed (scripts/setup.sh)"));
            return new JsonObject { ["skipped"] = "PostgreSQL is not installed (scripts/setup.sh)" };
        }

        // Outside the run's 0700 temp dir: as root the cluster belongs to the user postgres.
        string directory = Path.Combine(Path.GetTempPath(), "lbench-pg-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            (int code, string output, string error) = await RunScriptAsync("start", directory).ConfigureAwait(false);
            if (code != 0)
            {
                throw new InvalidOperationException("scripts/postgres.sh start failed: " + error.Trim());
            }

            string connection = output.Trim().Split('\n')[^1];
            JsonObject run = await RunStoreAsync("postgres", machines, connection, concurrency).ConfigureAwait(false);
            AddFigures("postgres.", run, machines, judged: false);
            return run;
        }
        finally
        {
            await RunScriptAsync("stop", directory).ConfigureAwait(false);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.WriteLine($"could not remove {directory}: {ex.Message}");
            }
        }
    }

    private static bool PostgresInstalled() =>
        (Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "initdb", SearchOption.AllDirectories).Any())
        || File.Exists("/usr/bin/initdb");

    private async Task<(int Code, string Output, string Error)> RunScriptAsync(string command, string directory)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_layout.PostgresScript);
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(directory);
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private async Task<JsonObject> RunStoreAsync(string store, int count, string? database, int concurrency)
    {
        string dataDirectory = Path.Combine(_work, store);
        await using FleetServerProcess server = await FleetServerProcess.StartAsync(_layout, dataDirectory, database, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        _log.WriteLine($"fleet/{store}: launcher-fleet pid {server.Pid} on {server.Url} (ready in {server.StartToReady.TotalMilliseconds:0} ms)");
        string token = await server.CreateEnrolmentTokenAsync(count).ConfigureAwait(false);
        string adminToken = await server.CreateAdminTokenAsync().ConfigureAwait(false);
        var trust = new PinnedCa(server.Ca);
        var fleet = new SimulatedMachine[count];
        for (int i = 0; i < count; i++)
        {
            fleet[i] = new SimulatedMachine(i);
        }

        var run = new JsonObject { ["machines"] = count, ["concurrency"] = concurrency, ["database"] = database is null ? "sqlite (DATA_DIR/fleet.db)" : "postgresql (scripts/postgres.sh, fsync=off)" };
        using var abort = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            double idleRss = server.Memory().RssMb;

            // Enrolment: real, but not timed against a target (each machine gets a certificate signed by the CA).
            ServerSample before = Sample(server);
            long started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = abort.Token },
                async (machine, ct) => await machine.EnrolAsync(server.Url, trust, token, ct).ConfigureAwait(false)).ConfigureAwait(false);
            double enrolSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            ServerSample afterEnrol = Sample(server);
            run["enrolSeconds"] = Round(enrolSeconds, 2);
            run["enrolPerSec"] = Round(count / enrolSeconds);
            run["enrolServerCpuSeconds"] = Round((afterEnrol.Cpu - before.Cpu).TotalSeconds, 2);
            run["enrolHarnessCpuSeconds"] = Round((afterEnrol.HarnessCpu - before.HarnessCpu).TotalSeconds, 2);
            _log.WriteLine($"fleet/{store}: {count} enrolled in {enrolSeconds:0.0} s ({count / enrolSeconds:0}/s)");

            // Let the enrolment connections' closes and the server's work settle before the timed phases.
            await Task.Delay(TimeSpan.FromSeconds(_options.Quick ? 0.5 : 2)).ConfigureAwait(false);

            // The baseline: as many bare TLS handshakes as there are machines, same endpoint, same concurrency.
            ServerSample beforeRaw = Sample(server);
            (int handshakes, TimeSpan rawElapsed) = await RawTlsHandshakes.RunAsync(server.Url, trust, count, concurrency, abort.Token).ConfigureAwait(false);
            ServerSample afterRaw = Sample(server);
            double rawPerSec = handshakes / rawElapsed.TotalSeconds;
            run["rawTlsHandshakes"] = handshakes;
            run["rawTlsSeconds"] = Round(rawElapsed.TotalSeconds, 2);
            run["rawTlsHandshakesPerSec"] = Round(rawPerSec);
            run["rawServerCpuSeconds"] = Round((afterRaw.Cpu - beforeRaw.Cpu).TotalSeconds, 2);
            run["rawHarnessCpuSeconds"] = Round((afterRaw.HarnessCpu - beforeRaw.HarnessCpu).TotalSeconds, 2);
            _log.WriteLine($"fleet/{store}: {handshakes} raw TLS handshakes in {rawElapsed.TotalSeconds:0.0} s ({rawPerSec:0}/s)");
            await Task.Delay(TimeSpan.FromSeconds(_options.Quick ? 0.5 : 2)).ConfigureAwait(false);

            // Timed: every machine connects (TCP, TLS, upgrade) and authenticates; the connections stay open.
            var timeline = new JsonArray();
            int authenticated = 0;
            var latencies = new double[count];
            before = Sample(server);
            started = Stopwatch.GetTimestamp();
            using (var sampling = new CancellationTokenSource())
            {
                Task sampler = SampleTimelineAsync(server, started, () => Volatile.Read(ref authenticated), timeline, sampling.Token);
                await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = abort.Token }, async (i, ct) =>
                {
                    long one = Stopwatch.GetTimestamp();
                    await fleet[i].AuthenticateAsync(server.Url, trust, ct).ConfigureAwait(false);
                    latencies[i] = Stopwatch.GetElapsedTime(one).TotalMilliseconds;
                    Interlocked.Increment(ref authenticated);
                }).ConfigureAwait(false);
                double authSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                await sampling.CancelAsync().ConfigureAwait(false);
                await sampler.ConfigureAwait(false);
                ServerSample afterAuth = Sample(server);
                Array.Sort(latencies);
                run["connectAuthSeconds"] = Round(authSeconds, 2);
                run["authPerSec"] = Round(count / authSeconds);
                run["authToRawRatio"] = Round(count / authSeconds / rawPerSec, 3);
                run["authLatencyMs"] = new JsonObject
                {
                    ["p50"] = Round(latencies[count / 2]),
                    ["p90"] = Round(latencies[(int)(count * 0.9)]),
                    ["p99"] = Round(latencies[Math.Min(count - 1, (int)(count * 0.99))]),
                    ["max"] = Round(latencies[^1]),
                };
                run["authServerCpuSeconds"] = Round((afterAuth.Cpu - before.Cpu).TotalSeconds, 2);
                run["authHarnessCpuSeconds"] = Round((afterAuth.HarnessCpu - before.HarnessCpu).TotalSeconds, 2);
                run["authServerThreads"] = afterAuth.Threads;
                run["serverCpuMsPerAuth"] = Round((afterAuth.Cpu - before.Cpu).TotalMilliseconds / count, 3);
                run["serverCpuMsPerRawHandshake"] = Round((afterRaw.Cpu - beforeRaw.Cpu).TotalMilliseconds / handshakes, 3);
                run["harnessCpuMsPerAuth"] = Round((afterAuth.HarnessCpu - before.HarnessCpu).TotalMilliseconds / count, 3);
                run["harnessCpuMsPerRawHandshake"] = Round((afterRaw.HarnessCpu - beforeRaw.HarnessCpu).TotalMilliseconds / handshakes, 3);
                run["retries"] = fleet.Sum(m => m.Retries);
                run["retryReasons"] = new JsonArray(fleet.Where(m => m.FirstRetryReason is not null).GroupBy(m => m.FirstRetryReason!)
                    .OrderByDescending(g => g.Count()).Take(5).Select(g => (JsonNode)$"{g.Count()} x {g.Key}").ToArray());
                run["authTimeline"] = timeline;
                _log.WriteLine($"fleet/{store}: {count} connected and authenticated in {authSeconds:0.00} s ({count / authSeconds:0}/s, {count / authSeconds / rawPerSec:P0} of raw)");
            }

            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            (double rss, _) = server.Memory();
            run["serverRssMb"] = Round(rss);
            run["serverRssIdleMb"] = Round(idleRss);
            run["serverThreadsAtN"] = server.CpuAndThreads().Threads;

            // Push: one broadcast to every machine (allUsers), until every outcome is stored at the server; then, for
            // comparison, one admin API notification per machine.
            await BroadcastAsync(server, adminToken, fleet, run, abort.Token).ConfigureAwait(false);
            await PushAsync(server, adminToken, fleet, run, abort.Token).ConfigureAwait(false);
            run["serverRssPeakMb"] = Round(server.Memory().PeakMb);
            return run;
        }
        finally
        {
            await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (machine, _) => await machine.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    private async Task BroadcastAsync(FleetServerProcess server, string adminToken, SimulatedMachine[] fleet, JsonObject run, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { SslOptions = new PinnedCa(server.Ca).Options(server.Url.Host) };
        using var admin = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);

        // Warm the admin connection (TLS) outside the timed window.
        using (HttpResponseMessage warm = await admin.GetAsync($"/api/v1/machines/{fleet[0].MachineId}", cancellationToken).ConfigureAwait(false))
        {
            warm.EnsureSuccessStatusCode();
        }

        foreach (SimulatedMachine machine in fleet)
        {
            machine.ResetOutcome();
        }

        ServerSample before = Sample(server);
        long started = Stopwatch.GetTimestamp();
        string id;
        using (HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/notifications",
            new { allMachines = true, allUsers = true, title = "Fleet benchmark", body = "One notification to every machine." }, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /api/v1/notifications: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }

            using JsonDocument body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            id = body.RootElement.GetProperty("id").GetString()!;
            if (body.RootElement.GetProperty("machines").GetInt64() != fleet.Length)
            {
                throw new InvalidOperationException($"The broadcast was stored for {body.RootElement.GetProperty("machines").GetInt64()} machines, not {fleet.Length}.");
            }
        }

        double postDone = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await Task.WhenAll(fleet.Select(m => m.OutcomeAcknowledged)).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        double allAcked = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        ServerSample after = Sample(server);
        run["pushAllAckedMs"] = Round(allAcked, 0);
        run["pushPostsDoneMs"] = Round(postDone, 0);
        run["pushServerCpuSeconds"] = Round((after.Cpu - before.Cpu).TotalSeconds, 2);
        run["pushHarnessCpuSeconds"] = Round((after.HarnessCpu - before.HarnessCpu).TotalSeconds, 2);
        run["serverCpuMsPerBroadcastMachine"] = Round((after.Cpu - before.Cpu).TotalMilliseconds / fleet.Length, 3);
        _log.WriteLine($"fleet: broadcast to {fleet.Length}: POST answered in {postDone:0} ms, every outcome stored at {allAcked:0} ms");

        // Untimed check through the admin API: the aggregate shows every machine with the outcome `shown`.
        using JsonDocument view = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/notifications/{id}?limit=1", cancellationToken).ConfigureAwait(false));
        long shown = view.RootElement.GetProperty("states").GetProperty("shown").GetInt64();
        run["pushVerifiedShown"] = shown;
        if (shown != fleet.Length)
        {
            throw new InvalidOperationException($"Only {shown} of {fleet.Length} machines show the broadcast with outcome shown at the server.");
        }
    }

    private async Task PushAsync(FleetServerProcess server, string adminToken, SimulatedMachine[] fleet, JsonObject run, CancellationToken cancellationToken)
    {
        const int PostConcurrency = 32;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = PostConcurrency, SslOptions = new PinnedCa(server.Ca).Options(server.Url.Host) };
        using var admin = new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);

        // Warm the admin connections (TLS) outside the timed window.
        using (HttpResponseMessage warm = await admin.GetAsync($"/api/v1/machines/{fleet[0].MachineId}", cancellationToken).ConfigureAwait(false))
        {
            warm.EnsureSuccessStatusCode();
        }

        foreach (SimulatedMachine machine in fleet)
        {
            machine.ResetOutcome();
        }

        var ids = new string[fleet.Length];
        ServerSample before = Sample(server);
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, fleet.Length), new ParallelOptions { MaxDegreeOfParallelism = PostConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using HttpResponseMessage response = await admin.PostAsJsonAsync($"/api/v1/machines/{fleet[i].MachineId}/notifications",
                new { allUsers = true, title = "Fleet benchmark", body = "A notification to every machine." }, ct).ConfigureAwait(false);
            if (response.StatusCode != System.Net.HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST notifications: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
            }

            using JsonDocument body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
            ids[i] = body.RootElement.GetProperty("id").GetString()!;
        }).ConfigureAwait(false);
        double postsDone = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // The server answers notification/outcome after it has stored the outcome: when the last answer is back,
        // the server has every outcome.
        await Task.WhenAll(fleet.Select(m => m.OutcomeAcknowledged)).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        double allAcked = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        ServerSample after = Sample(server);
        run["pushPerMachineAllAckedMs"] = Round(allAcked, 0);
        run["pushPerMachinePostsDoneMs"] = Round(postsDone, 0);
        run["pushPostConcurrency"] = PostConcurrency;
        run["pushPerMachineServerCpuSeconds"] = Round((after.Cpu - before.Cpu).TotalSeconds, 2);
        run["pushPerMachineHarnessCpuSeconds"] = Round((after.HarnessCpu - before.HarnessCpu).TotalSeconds, 2);
        run["serverCpuMsPerNotification"] = Round((after.Cpu - before.Cpu).TotalMilliseconds / fleet.Length, 3);
        _log.WriteLine($"fleet: push to {fleet.Length}: POSTs done in {postsDone:0} ms, every outcome stored at {allAcked:0} ms");

        // Untimed check through the admin API: every notification is delivered and shows the outcome `shown`.
        int shown = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, fleet.Length), new ParallelOptions { MaxDegreeOfParallelism = PostConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (ids[i] != await fleet[i].OutcomeAcknowledged.ConfigureAwait(false))
            {
                return;
            }

            using JsonDocument notification = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/notifications/{ids[i]}", ct).ConfigureAwait(false));
            JsonElement root = notification.RootElement;
            if (root.TryGetProperty("deliveredAt", out _)
                && root.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("outcome").GetString() == "shown"))
            {
                Interlocked.Increment(ref shown);
            }
        }).ConfigureAwait(false);
        run["pushPerMachineVerifiedShown"] = shown;
        if (shown != fleet.Length)
        {
            throw new InvalidOperationException($"Only {shown} of {fleet.Length} notifications show as delivered with outcome shown at the server.");
        }
    }

    private static async Task SampleTimelineAsync(FleetServerProcess server, long started, Func<int> authenticated, JsonArray timeline, CancellationToken cancellationToken)
    {
        ServerSample last = Sample(server);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                ServerSample now = Sample(server);
                double wall = (now.At - last.At).TotalSeconds;
                timeline.Add(new JsonObject
                {
                    ["t"] = Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1),
                    ["authenticated"] = authenticated(),
                    ["serverCpuPct"] = Round((now.Cpu - last.Cpu).TotalSeconds / wall * 100, 0),
                    ["harnessCpuPct"] = Round((now.HarnessCpu - last.HarnessCpu).TotalSeconds / wall * 100, 0),
                    ["serverThreads"] = now.Threads,
                    ["serverRssMb"] = Round(server.Memory().RssMb, 0),
                });
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static ServerSample Sample(FleetServerProcess server)
    {
        (TimeSpan cpu, int threads) = server.CpuAndThreads();
        return new ServerSample(Stopwatch.GetElapsedTime(0), cpu, threads, Process.GetCurrentProcess().TotalProcessorTime);
    }
}
