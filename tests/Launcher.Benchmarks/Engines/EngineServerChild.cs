using Launcher.Benchmarks.Ipc;

namespace Launcher.Benchmarks.Engines;

/// <summary>
/// The child-process mode of the memory comparison (<c>--engine-server KIND PATH</c>): one engine's server alone in
/// a process, so its resident set is the engine's and nothing else's; serves until stdin closes.
/// </summary>
internal static class EngineServerChild
{
    public static async Task<int> RunAsync(string kind, string socketPath)
    {
        if (!Enum.TryParse(kind, out EngineKind engine))
        {
            await Console.Error.WriteLineAsync($"unknown engine {kind}").ConfigureAwait(false);
            return 2;
        }

        IAsyncDisposable server = engine == EngineKind.Launcher
            ? new NoopServer(socketPath)
            : new SjrServer(socketPath, engine, safe: true);
        await using (server.ConfigureAwait(false))
        {
            Console.Out.WriteLine("ready");
            Console.Out.Flush();
            await Console.In.ReadToEndAsync().ConfigureAwait(false);
        }

        return 0;
    }
}
