using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Launcher.Contracts;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>An agent that stops reading its socket must not hold up the admin who sends.</summary>
public sealed class SlowAgentTests
{
    [RootFact(Timeout = 180000)]
    public async Task SendAllUsers_WithAnAgentThatNeverReads_ReturnsWithoutWaitingForItsWriteTimeout()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        using Socket stuck = await RegisterRawAgentAsync(sandbox.SocketPath);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Count == 1, "the raw agent registers");
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);
        string body = new('x', 4000);

        // ~600 KB for an agent that reads nothing: far more than a socket buffer holds, so the daemon's writes to it
        // block, and a send that waited for them would take the 10 s write timeout.
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < 150; i++)
        {
            var watch = Stopwatch.StartNew();
            SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { AllUsers = true, Title = $"n{i}", Body = body });
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            Assert.StartsWith("n_", sent.Id, StringComparison.Ordinal);
        }

        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a send waited {slowest.TotalSeconds:F1} s for an agent that does not read");

        // The writes did block: the daemon drops the agent after its write timeout and keeps serving.
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Count == 0, "the stuck agent is dropped", TimeSpan.FromSeconds(60));
        Assert.Equal(150, (await sandbox.StatusAsync()).PendingNotifications);
        Assert.False(daemon.HasExited);
    }

    private static async Task<Socket> RegisterRawAgentAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        byte[] body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"agent/register","params":{"agentVersion":"raw","presenter":"stdout"}}""");
        await socket.SendAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n").Concat(body).ToArray());

        // Read the answer to the registration, then never read again.
        var received = new StringBuilder();
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.ToString().Contains("agentId", StringComparison.Ordinal))
        {
            int n = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(n > 0, "the daemon closed the raw agent: " + received);
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return socket;
    }
}
