using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Launcher.IntegrationTests;

/// <summary>
/// launcherd under a service manager: a real NOTIFY_SOCKET datagram receiver gets READY=1 once the socket answers,
/// WATCHDOG=1 at half of WATCHDOG_USEC, and STOPPING=1 on SIGTERM. Microsoft.Extensions.Hosting.Systemd acts only when
/// the parent process is called "systemd", so the daemon runs under a shell started through a link of that name.
/// </summary>
public sealed class SystemdTests
{
    [Fact(Timeout = 90000)]
    public async Task UnderSystemd_SendsReadyWatchdogAndStopping_AndLogsForJournald()
    {
        await using var sandbox = new Sandbox();
        string notifyPath = Path.Combine(sandbox.Root, "notify.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(notifyPath));
        File.SetUnixFileMode(notifyPath, (UnixFileMode)0b110_110_110);

        string systemd = Path.Combine(sandbox.Root, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        string[] daemonArguments = [.. Repo.Command(Repo.Daemon), "run", "--dev", "--socket", sandbox.SocketPath, "--state-dir", sandbox.StateDirectory, "--key-store", "software"];
        await using ChildProcess wrapper = ChildProcess.StartProgram(
            systemd,
            ["-c", "\"$@\" & echo \"daemon-pid $!\"; wait $!", "sh", .. daemonArguments],
            workingDirectory: sandbox.Root,
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath, ["WATCHDOG_USEC"] = "1000000" });
        string pidLine = await wrapper.WaitForLineAsync("daemon-pid ", TimeSpan.FromSeconds(20));
        int daemonPid = int.Parse(pidLine["daemon-pid ".Length..], CultureInfo.InvariantCulture);

        string first = await ReceiveAsync(receiver, TimeSpan.FromSeconds(30));
        Assert.Equal("READY=1", first);

        // READY means the socket answers.
        Assert.NotNull(await sandbox.StatusAsync());
        string ping = await ReceiveAsync(receiver, TimeSpan.FromSeconds(10));
        Assert.Equal("WATCHDOG=1", ping);

        ChildProcess.Terminate(daemonPid);
        string stopping;
        do
        {
            stopping = await ReceiveAsync(receiver, TimeSpan.FromSeconds(20));
        }
        while (stopping == "WATCHDOG=1");

        Assert.Equal("STOPPING=1", stopping);
        Assert.Equal(0, await wrapper.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // journald reads "<N>" at the start of a line as the priority; no timestamps of our own.
        Assert.Contains(wrapper.Output.Split('\n'), line => line.StartsWith("<6>", StringComparison.Ordinal) && line.Contains("listening on", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60000)]
    public async Task WithoutSystemd_NotifySocketIsIgnored()
    {
        await using var sandbox = new Sandbox();
        string notifyPath = Path.Combine(sandbox.Root, "notify.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(notifyPath));

        await using ChildProcess daemon = ChildProcess.Start(
            Repo.Daemon,
            ["run", "--dev", "--socket", sandbox.SocketPath, "--state-dir", sandbox.StateDirectory, "--key-store", "software"],
            workingDirectory: sandbox.Root,
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath, ["WATCHDOG_USEC"] = "200000" });
        await sandbox.WaitReadyAsync(daemon);

        // The parent is the test host, not systemd: nothing is sent, the console output is the plain one.
        Assert.Equal(0, receiver.Available);
        Assert.DoesNotContain("<6>", daemon.Output, StringComparison.Ordinal);
    }

    private static async Task<string> ReceiveAsync(Socket receiver, TimeSpan timeout)
    {
        var buffer = new byte[256];
        using var cancel = new CancellationTokenSource(timeout);
        int received = await receiver.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
        return Encoding.UTF8.GetString(buffer, 0, received).Trim();
    }
}
