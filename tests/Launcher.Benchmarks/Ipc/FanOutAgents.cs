using Launcher.Benchmarks.Harness;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Ipc;

/// <summary>
/// Simulated agents: one JsonRpcConnection per agent, each registered with agent/register over its own Unix
/// socket connection, serving notification/show by calling notification/ack at once.
/// </summary>
internal sealed class FanOutAgents : IAsyncDisposable
{
    private readonly List<JsonRpcConnection> _connections = [];
    private readonly RpcHandlerTable _handlers;
    private FanOutRound? _round;

    public FanOutAgents()
    {
        _handlers = new RpcHandlerTable().AddNotification(Methods.NotificationShow, (context, show, cancellationToken) =>
        {
            FanOutRound? round = Volatile.Read(ref _round);
            round?.OnShow(show.Id);
            _ = AckAsync(context.Connection, show.Id, round);
            return ValueTask.CompletedTask;
        });
    }

    public int Count => _connections.Count;

    /// <summary>The round that shows and acks are counted against from now on.</summary>
    public FanOutRound BeginRound()
    {
        var round = new FanOutRound(_connections.Count);
        Volatile.Write(ref _round, round);
        return round;
    }

    /// <summary>Connects and registers <paramref name="count"/> agents, <paramref name="parallel"/> at a time.</summary>
    public async Task ConnectAsync(DaemonProcess daemon, int count, int parallel)
    {
        using var gate = new SemaphoreSlim(parallel);
        var registrations = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            registrations.Add(RegisterOneAsync(daemon, gate));
        }

        await Task.WhenAll(registrations).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (JsonRpcConnection connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connections.Clear();
    }

    private async Task RegisterOneAsync(DaemonProcess daemon, SemaphoreSlim gate)
    {
        try
        {
            JsonRpcConnection connection = await daemon.ConnectAsync(_handlers).ConfigureAwait(false);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            await connection.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "bench", Presenter = "bench" }).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task AckAsync(JsonRpcConnection connection, string id, FanOutRound? round)
    {
        try
        {
            AckNotificationResult result = await connection.InvokeAsync(Methods.NotificationAck, new AckNotificationParams { Id = id, Outcome = NotificationOutcomes.Shown }).ConfigureAwait(false);
            round?.OnAck(result.AlreadyAcknowledged);
        }
        catch (Exception ex) when (ex is RpcException or RpcConnectionLostException or TimeoutException)
        {
            round?.OnAckFailed();
        }
    }
}
