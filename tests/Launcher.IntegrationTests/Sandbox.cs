using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// One test's machine: a temporary directory with a socket directory (0755, so other uids can connect), a
/// root-only state directory, and the processes started in it (killed on dispose).
/// </summary>
internal sealed class Sandbox : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];

    public Sandbox()
    {
        Root = Directory.CreateTempSubdirectory("launcher-it-").FullName;
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(Root, "run"), (UnixFileMode)0b111_101_101);
        StateDirectory = Path.Combine(Root, "state");
        Directory.CreateDirectory(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Root { get; }

    public string SocketPath => Path.Combine(Root, "run", "launcherd.sock");

    public string StateDirectory { get; }

    public ChildProcess? Daemon { get; private set; }

    public ChildProcess StartDaemon(params string[] extra)
    {
        string[] arguments = ["run", "--socket", SocketPath, "--state-dir", StateDirectory, "--redelivery-seconds", "1", .. extra];
        Daemon = Track(ChildProcess.Start(Repo.Daemon, arguments, workingDirectory: Root));
        return Daemon;
    }

    /// <summary>Starts the daemon under <c>prlimit --nofile=SOFT:HARD</c>, as a unit's LimitNOFILE would.</summary>
    public ChildProcess StartDaemonWithFileLimit(int soft, int hard, params string[] extra) =>
        StartDaemonWrapped(["prlimit", $"--nofile={soft}:{hard}", "--"], Repo.Daemon, extra);

    /// <summary>Starts <paramref name="daemon"/> (launcherd.dll or a NativeAOT launcherd) through a wrapper command
    /// that sets up the process the way a unit setting would and then execs it.</summary>
    public ChildProcess StartDaemonWrapped(IReadOnlyList<string> wrapper, string daemon, params string[] extra)
    {
        string[] arguments = [.. wrapper.Skip(1), .. Repo.Command(daemon), "run", "--socket", SocketPath, "--state-dir", StateDirectory, "--redelivery-seconds", "1", .. extra];
        Daemon = Track(ChildProcess.StartProgram(wrapper[0], arguments, workingDirectory: Root));
        return Daemon;
    }

    /// <summary>Runs a helper from tests/Launcher.IntegrationTests/Helpers with the system's python3 (as <paramref name="uid"/>).</summary>
    public ChildProcess StartHelper(string script, uint? uid, params string[] arguments) =>
        Track(ChildProcess.StartProgram(Requirements.SystemPython, [HelperPath(script, uid), .. arguments], uid: uid, workingDirectory: Root));

    private static string HelperPath(string script, uint? uid)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Helpers", script);
        return uid is null ? path : ReadableCopies.Of(path);
    }

    /// <summary>Starts the daemon and waits until daemon/status answers on the socket.</summary>
    public async Task<ChildProcess> StartDaemonReadyAsync(params string[] extra)
    {
        ChildProcess daemon = StartDaemon(extra);
        await WaitReadyAsync(daemon);
        return daemon;
    }

    public async Task WaitReadyAsync(ChildProcess daemon)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException("launcherd exited:\n" + daemon.Output);
            }

            try
            {
                await using JsonRpcConnection probe = await TestClient.ConnectAsync(SocketPath);
                await probe.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
                return;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or RpcConnectionLostException or IOException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("launcherd did not answer within 30 s:\n" + daemon.Output);
    }

    /// <summary>Starts an agent as <paramref name="uid"/> with the stdout presenter (one JSON line per notification).</summary>
    public ChildProcess StartAgent(uint uid, params string[] extra)
    {
        string state = Path.Combine(Root, $"agent-{uid}");
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ChildProcess.Chown(state, uid);
        string[] arguments = ["run", "--socket", SocketPath, "--presenter", "stdout", "--state-dir", state, .. extra];
        return Track(ChildProcess.Start(Repo.Agent, arguments, uid: uid == 0 ? null : uid, workingDirectory: Root));
    }

    /// <summary>Starts an agent as root with the system presenter on the session bus at <paramref name="busAddress"/>.</summary>
    public ChildProcess StartSystemAgent(string busAddress)
    {
        string state = Path.Combine(Root, "agent-system");
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] arguments = ["run", "--socket", SocketPath, "--presenter", "system", "--state-dir", state];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DBUS_SESSION_BUS_ADDRESS"] = busAddress };
        return Track(ChildProcess.Start(Repo.Agent, arguments, uid: null, workingDirectory: Root, environment: environment));
    }

    /// <summary>Runs launcherctl to completion (as <paramref name="uid"/> when given).</summary>
    public async Task<(int ExitCode, string Output)> CtlAsync(uint? uid, params string[] arguments)
    {
        await using ChildProcess ctl = ChildProcess.Start(Repo.Ctl, ["--socket", SocketPath, .. arguments], uid: uid, workingDirectory: Root);
        int exit = await ctl.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(50);
        return (exit, ctl.Output);
    }

    public async Task<StatusResult> StatusAsync()
    {
        await using JsonRpcConnection client = await TestClient.ConnectAsync(SocketPath);
        return await client.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (bounded; no timing assertion).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Never happened: " + what);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ChildProcess process in _processes)
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
