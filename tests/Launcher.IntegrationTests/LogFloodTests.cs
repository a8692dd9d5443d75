using System.Net.Sockets;
using System.Text;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// Peer input cannot make the daemon's log grow without bound (issue 9: 849 MiB in 20 s from one connection), and
/// peer-supplied text reaches the log escaped, so it cannot forge lines or drive the reader's terminal.
/// </summary>
public sealed class LogFloodTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [RootFact(Timeout = 120000)]
    public async Task FloodOfMalformedMessages_WritesABoundedLog_AndTheDaemonKeepsServing()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        int linesBefore = CountLines(daemon.Output);
        int bytesBefore = daemon.Output.Length;
        byte[][] garbage =
        [
            Frame("not json at all"),
            Frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such/method\"}"),
            Frame("{\"jsonrpc\":\"2.0\",\"method\":\"no/such/notification\"}"),
            Frame("[1,2,3]"),
            Frame("{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"daemon/status\"}"),
            Frame("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":1}"),
            Frame("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"identity/prove\",\"params\":{\"audience\":\"a\",\"nonce\":\"12345678\"}}"),
        ];
        byte[] burst = [.. Enumerable.Range(0, 50).SelectMany(i => garbage[i % garbage.Length])];
        DateTime started = DateTime.UtcNow;
        long sent = 0;

        // Eight connections of one uid (root here: the throttle applies to every uid alike), three seconds each.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(sandbox.SocketPath));
            // Read the error answers concurrently, or the daemon's writes back up and it closes us for not reading.
            Task drain = Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                try
                {
                    while (await socket.ReceiveAsync(buffer) > 0)
                    {
                    }
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
            });
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(3))
            {
                await socket.SendAsync(burst);
                Interlocked.Add(ref sent, 50);
            }

            socket.Shutdown(SocketShutdown.Send);
            await drain.WaitAsync(TimeSpan.FromSeconds(30));
        })));
        StatusResult status = await sandbox.StatusAsync();

        // What was held back is summarised once the interval ends, even though the flood is over by then.
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output[bytesBefore..].Contains("Suppressed", StringComparison.Ordinal)), "a summary of the suppressed lines", TimeSpan.FromSeconds(30));
        TimeSpan elapsed = DateTime.UtcNow - started;

        string log = daemon.Output[bytesBefore..];
        int lines = CountLines(daemon.Output) - linesBefore;
        int intervals = (int)Math.Ceiling(elapsed.TotalSeconds / RpcLimits.Default.PeerLogInterval.TotalSeconds) + 1;
        output.WriteLine($"{sent} malformed messages in {elapsed.TotalSeconds:0.0} s caused {lines} log lines, {log.Length} bytes");
        Assert.Equal("ready", status.IdentityState);
        Assert.True(sent > 10_000, $"the flood sent only {sent} messages");
        Assert.True(lines < 100 * intervals, $"{lines} log lines ({log.Length} bytes) for {sent} malformed messages over {intervals} intervals:\n{Head(log)}");
        Assert.True(log.Length < 100 * intervals * 400, $"{log.Length} bytes of log for {sent} malformed messages");
        Assert.Contains("Suppressed", log, StringComparison.Ordinal);
        Assert.Contains("caused by uid 0", log, StringComparison.Ordinal);
    }

    [RootFact(Timeout = 60000)]
    public async Task PeerText_WithEscapesAndLineBreaks_IsLoggedEscaped()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(sandbox.SocketPath));
        string method = "evil\r\nFORGED launcherd line \u001B[2J\u001B[31mred\u202Egnp.exe";

        await socket.SendAsync(Frame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + System.Text.Json.JsonSerializer.Serialize(method) + "}"));
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains("FORGED", StringComparison.Ordinal)), "the unknown method is logged");

        string output = daemon.Output;
        Assert.DoesNotContain('\u001B', output);
        Assert.DoesNotContain('\u202E', output);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("FORGED", StringComparison.Ordinal));
        Assert.Contains("evil\\r\\nFORGED launcherd line \\u001B[2J\\u001B[31mred\\u202Egnp.exe", output, StringComparison.Ordinal);
    }

    private static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }

    private static int CountLines(string text) => text.Count(c => c == '\n');

    private static string Head(string text) => text.Length <= 4000 ? text : text[..4000] + "\n…";
}
