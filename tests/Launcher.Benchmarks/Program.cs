using System.Text.Json;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Engines;
using Launcher.Benchmarks.Attestation;
using Launcher.Benchmarks.Fleet;
using Launcher.Benchmarks.Harness;
using Launcher.Benchmarks.Identity;
using Launcher.Benchmarks.Ipc;

// The child mode of the cross-process echo baseline: `Launcher.Benchmarks --echo-server PATH`.
if (args is ["--echo-server", string echoPath])
{
    return await RawEcho.RunChildAsync(echoPath).ConfigureAwait(false);
}

// The child mode of the engines' memory comparison: `Launcher.Benchmarks --engine-server KIND PATH`.
if (args is ["--engine-server", string engineKind, string enginePath])
{
    return await EngineServerChild.RunAsync(engineKind, enginePath).ConfigureAwait(false);
}

BenchOptions? options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

RepoLayout layout;
try
{
    layout = RepoLayout.Locate(options.LauncherdPath);
}
catch (FileNotFoundException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

JsonObject machine = MachineInfo.Collect();
Console.WriteLine($"machine: {MachineInfo.Describe(machine)}");
Console.WriteLine($"launcherd: {layout.LauncherdPath}{(layout.DaemonIsRelease ? "" : "  (WARNING: not a Release build)")}");
Console.WriteLine($"harness: {layout.BenchConfiguration} build, {(options.Quick ? "quick" : "full")} run");
if (MachineInfo.OpenFilesLimit() is > 0 and < 2200)
{
    Console.WriteLine($"WARNING: the open-files limit is {MachineInfo.OpenFilesLimit()}; the fan-out needs about 2,100 (ulimit -n 4096)");
}

if (options.Suite is ("fleet" or "all") && MachineInfo.OpenFilesLimit() is long files and > 0
    && files < (options.FleetMachines ?? (options.Quick ? 300 : 10_000)) + 1_000)
{
    Console.WriteLine($"WARNING: the open-files limit is {files}; the fleet suite holds one socket per simulated machine in the harness and one in launcher-fleet (raise the hard limit: ulimit -Hn)");
}

string outputDirectory = options.OutputDirectory ?? Path.Combine(layout.Root, "artifacts", "bench");
Directory.CreateDirectory(outputDirectory);

// Short paths: sun_path is 108 bytes on Linux, 104 on macOS.
DirectoryInfo work = Directory.CreateTempSubdirectory("lbench-");
int exit = 0;
var summaries = new List<(string Title, IReadOnlyList<Figure> Figures)>();
try
{
    if (options.Suite is "ipc" or "all")
    {
        exit |= await RunSuiteAsync("ipc", async () => await new IpcSuite(layout, options, Path.Combine(work.FullName, "ipc"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    if (options.Suite is "rpc-engines" or "all")
    {
        exit |= await RunSuiteAsync("rpc-engines", async () => await new RpcEnginesSuite(options, Path.Combine(work.FullName, "engines"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    if (options.Suite is "identity" or "all")
    {
        exit |= await RunSuiteAsync("identity", async () => await new IdentitySuite(layout, options, Path.Combine(work.FullName, "identity"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    if (options.Suite is "attestation" or "all")
    {
        exit |= await RunSuiteAsync("attestation", async () => await new AttestationSuite(layout, options, Path.Combine(work.FullName, "attestation"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    if (options.Suite is "startup" or "all")
    {
        exit |= await RunSuiteAsync("startup", async () => await new Launcher.Benchmarks.Startup.StartupSuite(layout, options, Path.Combine(work.FullName, "startup"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    if (options.Suite is "fleet" or "all")
    {
        exit |= await RunSuiteAsync("fleet", async () => await new FleetSuite(layout, options, Path.Combine(work.FullName, "fleet"), Console.Out).RunAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }
}
finally
{
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException ex)
    {
        Console.Error.WriteLine($"could not remove {work.FullName}: {ex.Message}");
    }
}

foreach ((string title, IReadOnlyList<Figure> figures) in summaries)
{
    SummaryTable.Print(Console.Out, title, figures);
}

Console.WriteLine();
Console.WriteLine($"results in {outputDirectory}");
return exit;

async Task<int> RunSuiteAsync(string name, Func<Task<(JsonObject Json, IReadOnlyList<Figure> Figures)>> run)
{
    Directory.CreateDirectory(Path.Combine(work.FullName, name));
    DateTimeOffset started = DateTimeOffset.UtcNow;
    JsonObject result;
    IReadOnlyList<Figure> figures;
    try
    {
        (result, figures) = await run().ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException
        or Launcher.Rpc.RpcException or Launcher.Rpc.RpcConnectionLostException or System.Text.Json.JsonException
        or System.Net.WebSockets.WebSocketException or System.Net.Http.HttpRequestException or OperationCanceledException)
    {
        Console.Error.WriteLine($"{name}: FAILED: {ex}");
        return 1;
    }

    var file = new JsonObject { ["suite"] = name };
    foreach (KeyValuePair<string, JsonNode?> entry in result)
    {
        file[entry.Key] = entry.Value?.DeepClone();
    }

    file["results"] = new JsonObject(figures.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Status)));
    file["date"] = started.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
    file["quick"] = options.Quick;
    file["durationSeconds"] = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1);
    file["machine"] = machine.DeepClone();
    file["loadAverageAfter"] = MachineInfo.LoadAverage();
    file["launcherd"] = layout.LauncherdPath;
    file["launcherdRelease"] = layout.DaemonIsRelease;
    string path = Path.Combine(outputDirectory, name + ".json");
    await File.WriteAllTextAsync(path, file.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n").ConfigureAwait(false);
    summaries.Add((name, figures));
    return 0;
}
