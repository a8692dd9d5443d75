using System.Text.Json;

namespace Launcher.IntegrationTests;

/// <summary>
/// The daemon's clients as built: no startup hooks (System.StartupHookProvider.IsSupported=false in their
/// runtimeconfig.json), so neither DOTNET_STARTUP_HOOKS nor a hook applied over the diagnostics IPC loads code into a
/// signed client that the daemon's code-signing requirement admits (docs/macos.md).
/// </summary>
public sealed class ShippedClientTests
{
    private const string StartupHooksSwitch = "System.StartupHookProvider.IsSupported";

    public static TheoryData<string> Clients => new() { Repo.Ctl, Repo.Agent };

    [Theory]
    [MemberData(nameof(Clients))]
    public void RuntimeConfig_OfEachClient_DisablesStartupHooks(string dll)
    {
        string runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        JsonElement properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty(StartupHooksSwitch, out JsonElement value), $"{runtimeConfig} has no {StartupHooksSwitch}");
        Assert.Equal(JsonValueKind.False, value.ValueKind);
    }

    [Theory(Timeout = 60000)]
    [MemberData(nameof(Clients))]
    public async Task StartupHookInTheEnvironment_IsIgnoredByEachClient(string dll)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_STARTUP_HOOKS"] = MissingHook() };

        await using ChildProcess client = ChildProcess.Start(dll, ["--help"], environment: environment);
        int exit = await client.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, $"{Path.GetFileName(dll)} --help exited {exit}:\n{client.Output}");
        Assert.DoesNotContain("Startup hook", client.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60000)]
    public async Task StartupHookInTheEnvironment_IsHonouredWhereHooksAreOn_SoTheClientTestsProveSomething()
    {
        // launcherd keeps hooks (its environment is root's launchd plist); the same variable makes it fail to start.
        var environment = new Dictionary<string, string> { ["DOTNET_STARTUP_HOOKS"] = MissingHook() };

        await using ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["--help"], environment: environment);
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exit);
        Assert.Contains("Startup hook", daemon.Output, StringComparison.Ordinal);
    }

    private static string MissingHook() => Path.Combine(Path.GetTempPath(), $"launcher-no-such-hook-{Guid.NewGuid():N}.dll");
}
