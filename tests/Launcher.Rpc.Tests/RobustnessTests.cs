using System.Collections.Concurrent;
using Launcher.Rpc.Tests.Support;

namespace Launcher.Rpc.Tests;

public sealed class RobustnessTests
{
    private const int T = 30_000;

    private static readonly RpcMethod<EmptyParams, EmptyResult> s_throwingCallback =
        new("test/throwingCallback", TestJsonContext.Default.EmptyParams, TestJsonContext.Default.EmptyResult);

    [Fact(Timeout = T)]
    public async Task CancellationCallbackThatThrows_DoesNotBreakTheReadLoop()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new TestLogger();
        await using var peer = new RawPeer(ThrowingCallbackTable(started), logger: logger);

        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/throwingCallback\"}");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1}}");

        await peer.ExpectErrorAsync(RpcErrorCodes.RequestCancelled, "1");
        await peer.AssertStillServesAsync();
        Assert.Contains(logger.Entries, e => e.EventId == 10);
    }

    [Fact(Timeout = T)]
    public async Task CancellationCallbackThatThrows_DoesNotStopCloseFromCompleting()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var peer = new RawPeer(ThrowingCallbackTable(started));
        Task<EchoResult> outgoing = peer.Connection.InvokeAsync(TestMethods.Echo, new EchoParams { Text = "x" });
        await peer.ReceiveAsync();
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/throwingCallback\"}");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        peer.Connection.Close("test");

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => outgoing);
        await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await peer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = T)]
    public async Task HandlersFinishingAfterTheConnectionClosed_LeaveNoFaultedTasks()
    {
        var unobserved = new ConcurrentQueue<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            // Only the engine's own fire-and-forget work counts; a caller that drops its call's task is not the engine's fault.
            string text = e.Exception.ToString();
            if (new[] { "CompleteCallAsync", "TrySendErrorAsync", "SendCancelAsync", "ReadLoopAsync" }.Any(m => text.Contains(m, StringComparison.Ordinal)))
            {
                unobserved.Enqueue(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            for (int i = 0; i < 20; i++)
            {
                await CloseWhileHandlersRunAsync();
            }

            for (int i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(20);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.True(unobserved.IsEmpty, string.Join("\n\n", unobserved));
    }

    private static async Task CloseWhileHandlersRunAsync()
    {
        var service = new TestService();
        await using var peer = new RawPeer(service.Table);
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test/wait\"}");
        await peer.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test/wait\"}");
        await service.WaitForStartsAsync(2);

        // The handlers are released just as the connection goes: their replies meet a closed connection.
        service.Release();
        peer.Connection.Close("test");
        await peer.Connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(10);
    }

    private static RpcHandlerTable ThrowingCallbackTable(TaskCompletionSource started)
    {
        return new TestService().Table.Add(s_throwingCallback, async (_, _, ct) =>
        {
            using CancellationTokenRegistration registration = ct.Register(static () => throw new InvalidOperationException("callback"));
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new EmptyResult();
        });
    }
}
