using System.Net.Sockets;
using System.Text;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>The daemon as a real root process on a real socket: start-up checks, stop, and hostile clients.</summary>
public sealed class DaemonProcessTests
{
    [RootFact(Timeout = 60000)]
    public async Task SecondDaemon_OnALiveSocket_RefusesToStart_ButReplacesAStaleOne()
    {
        await using var sandbox = new Sandbox();
        ChildProcess first = await sandbox.StartDaemonReadyAsync("--key-store", "software");

        ChildProcess second = sandbox.StartDaemon("--key-store", "software");
        int exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, exit);
        Assert.Contains("Another daemon is answering", second.Output, StringComparison.Ordinal);

        first.KillHard();
        Assert.True(File.Exists(sandbox.SocketPath), "kill -9 leaves the socket file behind");
        ChildProcess third = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        Assert.Contains("stale socket", third.Output, StringComparison.OrdinalIgnoreCase);
    }

    [RootFact(Timeout = 60000)]
    public async Task StateDirectory_WritableByOthers_RefusesToStart()
    {
        await using var sandbox = new Sandbox();
        File.SetUnixFileMode(sandbox.StateDirectory, (UnixFileMode)0b111_111_111);

        ChildProcess daemon = sandbox.StartDaemon("--key-store", "software");
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, exit);
        Assert.Contains("writable by group or others", daemon.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, "identity.json")));
    }

    [RootFact(Timeout = 60000)]
    public async Task Sigterm_StopsCleanly_AndRemovesTheSocket()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await using JsonRpcConnection client = await TestClient.ConnectAsync(sandbox.SocketPath);

        daemon.Terminate();
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.False(File.Exists(sandbox.SocketPath));
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [RootFact(Timeout = 60000)]
    public async Task FifoAtTheKeyPath_StartsWithTheIdentityLost_AndStopsOnSigterm()
    {
        // Before: open(2) of the FIFO blocked start-up forever, the socket never opened, and SIGTERM went unanswered.
        await using var sandbox = new Sandbox();
        string keyPath = Path.Combine(sandbox.StateDirectory, "machine-key.software.p8");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", ["-m", "600", keyPath]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        StatusResult status = await sandbox.StatusAsync();

        Assert.Equal("lost", status.IdentityState);
        Assert.Contains("FIFO", daemon.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sandbox.StateDirectory, "identity.json")), "no identity is minted over the FIFO");

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [RootFact(Timeout = 60000)]
    public async Task NonRootWithoutDev_RefusesToStart()
    {
        await using var sandbox = new Sandbox();
        await using ChildProcess daemon = ChildProcess.Start(Repo.Daemon, ["run", "--socket", sandbox.SocketPath, "--state-dir", sandbox.StateDirectory], uid: 1001);

        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Contains("must run as root", daemon.Output, StringComparison.Ordinal);
    }

    [RootFact(Timeout = 120000)]
    public async Task FloodOfMalformedFrames_DaemonKeepsServingOthers()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await using JsonRpcConnection wellBehaved = await TestClient.ConnectAsync(sandbox.SocketPath);
        byte[][] attacks =
        [
            Encoding.ASCII.GetBytes("Content-Length: 99999999999\r\n\r\n"),
            Encoding.ASCII.GetBytes("Content-Length: 2147483647\r\n\r\n{"),
            Encoding.ASCII.GetBytes("garbage without any header at all\n\n\n"),
            Encoding.ASCII.GetBytes("Content-Length: 5\n\nhello"),
            Encoding.ASCII.GetBytes("X-Long: " + new string('a', 100_000) + "\r\n"),
            Frame(new string('[', 100_000) + new string(']', 100_000)),
            Frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"identity/prove\",\"params\":{\"audience\":\"x\",\"nonce\":\"12345678\"}}"),
            Frame("not json at all"),
            Frame("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon/status\"}]"),
            Encoding.ASCII.GetBytes("Content-Length: 100\r\n\r\n{\"jsonrpc\""),
        ];

        for (int round = 0; round < 20; round++)
        {
            await Task.WhenAll(attacks.Select(SendAndHangUpAsync));
            StatusResult status = await wellBehaved.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
            Assert.Equal("ready", status.IdentityState);
        }

        Assert.False(daemon.HasExited);
        long rssKb = ReadRssKb(daemon.Pid);
        Assert.True(rssKb < 400 * 1024, $"daemon RSS {rssKb} kB after the flood");
        await using JsonRpcConnection fresh = await TestClient.ConnectAsync(sandbox.SocketPath);
        Assert.NotNull(await fresh.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance));

        async Task SendAndHangUpAsync(byte[] bytes)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(sandbox.SocketPath));
            try
            {
                await socket.SendAsync(bytes);
                var buffer = new byte[4096];
                using var read = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                _ = await socket.ReceiveAsync(buffer, read.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // The daemon may close first, or keep waiting for the rest of a frame: both are fine.
            }
        }
    }

    [RootFact(Timeout = 60000)]
    public async Task OversizedMessage_GetsAnErrorAndOnlyThatConnectionCloses()
    {
        await using var sandbox = new Sandbox();
        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await using JsonRpcConnection other = await TestClient.ConnectAsync(sandbox.SocketPath);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(sandbox.SocketPath));

        await socket.SendAsync(Encoding.ASCII.GetBytes("Content-Length: 2000000\r\n\r\n"));
        string reply = await ReadAllAsync(socket);

        Assert.Contains("\"code\":-32600", reply, StringComparison.Ordinal);
        Assert.Contains("limit is 1048576", reply, StringComparison.Ordinal);
        Assert.NotNull(await other.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance));
    }

    private static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, timeout.Token);
            if (n == 0)
            {
                return Encoding.UTF8.GetString(received.ToArray());
            }

            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    private static long ReadRssKb(int pid)
    {
        string line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
