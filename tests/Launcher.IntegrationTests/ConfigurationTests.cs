namespace Launcher.IntegrationTests;

/// <summary>launcherd and launcher-agent read --config FILE; a bad key or value stops them at start with exit 78 and the key named.</summary>
public sealed class ConfigurationTests
{
    private const int ExitConfiguration = 78;

    [Fact(Timeout = 60000)]
    public async Task Daemon_ConfigFile_ChoosesSocketAndKeyStore_FlagsOverrideIt()
    {
        await using var sandbox = new Sandbox();
        string config = WriteConfig(sandbox, "launcherd.json", $$"""
            {
              "socket": "{{sandbox.SocketPath}}",
              "stateDir": "{{sandbox.StateDirectory}}",
              "keyStore": "tpm",
              "redeliverySeconds": 1,
              "fleet": { "server": "https://fleet.example.com" }
            }
            """);

        ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["run", "--dev", "--config", config, "--key-store", "software"], workingDirectory: sandbox.Root);
        await sandbox.WaitReadyAsync(daemon);
        var status = await sandbox.StatusAsync();

        Assert.Equal("software", status.KeyClass);
        Assert.Contains("fleet server https://fleet.example.com/", daemon.Output, StringComparison.Ordinal);
        await daemon.DisposeAsync();
    }

    [Theory(Timeout = 60000)]
    [InlineData("""{"fleet":{"srever":"https://fleet.example.com"}}""", "unknown key 'fleet:srever'")]
    [InlineData("""{"keyStore":"hsm"}""", "keyStore = 'hsm'")]
    [InlineData("""{"fleet":{"server":"http://fleet.example.com"}}""", "fleet:server = 'http://fleet.example.com'")]
    [InlineData("""{"limits":{"maxConnections":"many"}}""", "limits:maxConnections = 'many'")]
    [InlineData("""{"socket":""", "launcherd.json")]
    public async Task Daemon_BadConfiguration_Exits78NamingTheKey(string json, string expected)
    {
        await using var sandbox = new Sandbox();
        string config = WriteConfig(sandbox, "launcherd.json", json);

        await using ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["run", "--dev", "--config", config, "--socket", sandbox.SocketPath, "--state-dir", sandbox.StateDirectory], workingDirectory: sandbox.Root);
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100);

        Assert.Equal(ExitConfiguration, exit);
        Assert.Contains("launcherd: configuration error: ", daemon.Output, StringComparison.Ordinal);
        Assert.Contains(expected, daemon.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(sandbox.SocketPath));
    }

    [Fact(Timeout = 60000)]
    public async Task Daemon_BadFlagValue_Exits78NamingTheKeyAndTheCommandLine()
    {
        await using var sandbox = new Sandbox();

        await using ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["run", "--dev", "--socket", sandbox.SocketPath, "--state-dir", sandbox.StateDirectory, "--redelivery-seconds", "soon"], workingDirectory: sandbox.Root);
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100);

        Assert.Equal(ExitConfiguration, exit);
        Assert.Contains("redeliverySeconds = 'soon' (from the command line): must be a number", daemon.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60000)]
    public async Task Agent_BadConfiguration_Exits78NamingTheKey()
    {
        await using var sandbox = new Sandbox();
        string config = WriteConfig(sandbox, "launcher-agent.json", """{"presenter":"fireworks"}""");

        await using ChildProcess agent = ChildProcess.Start(Repo.Agent, ["run", "--config", config, "--socket", sandbox.SocketPath], workingDirectory: sandbox.Root);
        int exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100);

        Assert.Equal(ExitConfiguration, exit);
        Assert.Contains("launcher-agent: configuration error: presenter = 'fireworks'", agent.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60000)]
    public async Task Agent_ConfigFile_IsUsed()
    {
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--dev", "--key-store", "software");
        string state = Path.Combine(sandbox.Root, "agent-state");
        string config = WriteConfig(sandbox, "launcher-agent.json", $$"""{"socket":"{{sandbox.SocketPath}}","presenter":"stdout","stateDir":"{{state}}"}""");

        await using ChildProcess agent = ChildProcess.Start(Repo.Agent, ["run", "--config", config], workingDirectory: sandbox.Root);

        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Count == 1, "the agent registers");
        Assert.True(Directory.Exists(state));
    }

    private static string WriteConfig(Sandbox sandbox, string name, string text)
    {
        string path = Path.Combine(sandbox.Root, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
