using System.IO.Pipelines;
using System.Text;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

/// <summary>
/// A peer cannot hold memory with messages it never finishes: a started message must complete within
/// <see cref="RpcLimits.MessageCompletionTimeout"/> (with no idle timeout too, as for registered agents), and the
/// bytes of unfinished messages count against a shared <see cref="RpcBufferBudget"/>.
/// </summary>
public sealed class UnfinishedMessageTests
{
    private const int T = 20000;

    [Fact(Timeout = T)]
    public async Task StartedMessage_NotFinishedInTime_ClosesTheConnection_EvenWithoutAnIdleTimeout()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = null, FirstMessageTimeout = Timeout.InfiniteTimeSpan, MessageCompletionTimeout = TimeSpan.FromSeconds(10) };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"hi\"}}");
        Assert.NotNull(await peer.ReceiveAsync());

        await peer.SendRawAsync("Content-Length: 1000\r\n\r\n{\"jsonrpc\"");
        for (int i = 0; i < 40 && !peer.Connection.Completion.IsCompleted; i++)
        {
            await Task.Delay(25);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await peer.AssertClosesAsync();
        Assert.Contains("unfinished", peer.Connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact(Timeout = T)]
    public async Task QuietAgentBetweenMessages_IsNotClosed()
    {
        var time = new ManualTimeProvider();
        var limits = new RpcLimits { IdleTimeout = null, FirstMessageTimeout = Timeout.InfiniteTimeSpan, MessageCompletionTimeout = TimeSpan.FromSeconds(10) };
        await using var peer = new RawPeer(new TestService().Table, limits, time: time);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/echo\",\"params\":{\"text\":\"hi\"}}");
        Assert.NotNull(await peer.ReceiveAsync());

        time.Advance(TimeSpan.FromMinutes(30));
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/echo\",\"params\":{\"text\":\"again\"}}");

        Assert.NotNull(await peer.ReceiveAsync());
        Assert.Null(peer.Connection.CloseReason);
    }

    [Fact(Timeout = T)]
    public async Task SharedBudget_ClosesTheConnectionThatWouldCrossIt_AndReleasesOnCompletion()
    {
        // Each holder reserves what it holds plus room for its next read (16 KiB), so two cannot fit in 20,000.
        const long readAhead = 16 * 1024;
        var budget = new RpcBufferBudget("uid 1001", 20_000);
        var first = new Pipe();
        var second = new Pipe();
        await using var a = new HeaderDelimitedTransport(first.Reader, new Pipe().Writer, RpcLimits.Default) { BufferBudget = budget };
        await using var b = new HeaderDelimitedTransport(second.Reader, new Pipe().Writer, RpcLimits.Default) { BufferBudget = budget };

        ValueTask<TransportMessage> readA = a.ReadAsync(null, CancellationToken.None);
        await first.Writer.WriteAsync(Encoding.ASCII.GetBytes("Content-Length: 700\r\n\r\n" + new string(' ', 600)));
        await WaitUntilAsync(() => budget.Held == 600 + readAhead);
        ValueTask<TransportMessage> readB = b.ReadAsync(null, CancellationToken.None);
        await second.Writer.WriteAsync(Encoding.ASCII.GetBytes("Content-Length: 700\r\n\r\n" + new string(' ', 600)));
        TransportMessage refused = await readB;

        Assert.Equal(TransportMessageKind.FramingError, refused.Kind);
        Assert.Equal(RpcErrorCodes.ServerBusy, refused.ErrorCode);
        Assert.Contains("uid 1001", refused.Error, StringComparison.Ordinal);
        Assert.Equal(600 + readAhead, budget.Held);

        await first.Writer.WriteAsync(Encoding.ASCII.GetBytes(new string(' ', 100)));
        TransportMessage complete = await readA;
        Assert.Equal(TransportMessageKind.Message, complete.Kind);
        complete.Release();
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public void Budget_WithAParent_FailsWhenEitherIsFull()
    {
        var total = new RpcBufferBudget("total", 1500);
        var alice = new RpcBufferBudget("uid 1000", 1000, total);
        var bob = new RpcBufferBudget("uid 1001", 1000, total);
        long a = 0;
        long b = 0;

        Assert.True(alice.TryResize(ref a, 900, out _));
        Assert.False(alice.TryResize(ref a, 1001, out RpcBufferBudget? full));
        Assert.Same(alice, full);
        Assert.False(bob.TryResize(ref b, 700, out full));
        Assert.Same(total, full);
        Assert.Equal(0, bob.Held);
        Assert.True(bob.TryResize(ref b, 600, out _));
        Assert.True(alice.TryResize(ref a, 0, out _));
        Assert.Equal(600, total.Held);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
