using System.Collections.Concurrent;
using System.Text.Json;

namespace Launcher.Rpc.Tests.Support;

/// <summary>
/// A handler table for the tests plus the knobs to observe and steer it: <c>test/wait</c> blocks until
/// <see cref="Release"/> or its token fires, and reports each start and each cancellation.
/// </summary>
internal sealed class TestService
{
    private readonly SemaphoreSlim _started = new(0);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelled;

    public TestService()
    {
        Table = new RpcHandlerTable()
            .Add(TestMethods.Echo, static (_, p, _) => ValueTask.FromResult(new EchoResult(p.Text, p.Count)))
            .Add(TestMethods.Add, static (_, p, _) => ValueTask.FromResult(new AddResult(p.A + p.B)))
            .Add(TestMethods.AddAsync, static async (_, p, _) =>
            {
                await Task.Yield();
                return new AddResult(p.A + p.B);
            })
            .Add(TestMethods.Fail, static (_, p, _) => throw new RpcException(p.Code, p.Message, p.Data))
            .Add(TestMethods.Throw, static (_, _, _) => throw new InvalidOperationException("secret detail from System.Private.CoreLib"))
            .Add(TestMethods.Wait, WaitAsync)
            .Add(TestMethods.Range, static (_, _, _) => ValueTask.FromResult(new EmptyResult()))
            .Add(TestMethods.Exploding, static (_, _, _) => ValueTask.FromResult(new EmptyResult()))
            .Add(TestMethods.Blob, static (_, p, _) => ValueTask.FromResult(new BlobResult(new string('x', p.Count))))
            .Add(TestMethods.ClientAdd, static (_, p, _) => ValueTask.FromResult(new AddResult(p.A + p.B)))
            .AddNotification(TestMethods.Tick, (_, p, _) =>
            {
                Ticks.Enqueue(p.N);
                TickArrived.Release();
                return ValueTask.CompletedTask;
            })
            .AddNotification(TestMethods.Ping, static async (context, p, ct) =>
            {
                await context.Connection.NotifyAsync(TestMethods.ServerPong, new TextParams("pong:" + p.Text), ct);
            });
    }

    public RpcHandlerTable Table { get; }

    public ConcurrentQueue<int> Ticks { get; } = new();

    public SemaphoreSlim TickArrived { get; } = new(0);

    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Waits until <c>test/wait</c> has started <paramref name="count"/> more times.</summary>
    public async Task WaitForStartsAsync(int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            if (!await _started.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("test/wait did not start.");
            }
        }
    }

    /// <summary>Lets every waiting <c>test/wait</c> return.</summary>
    public void Release() => Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task<int> WaitForTickAsync()
    {
        if (!await TickArrived.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("No tick arrived.");
        }

        Assert.True(Ticks.TryDequeue(out int n));
        return n;
    }

    private async ValueTask<EmptyResult> WaitAsync(RpcCallContext context, EmptyParams parameters, CancellationToken cancellationToken)
    {
        Task release = Volatile.Read(ref _release).Task;
        _started.Release();
        try
        {
            await release.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }

        return new EmptyResult();
    }

    public static JsonElement Json(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
