using Launcher.Contracts;
using Launcher.Agent.Notifications;
using Launcher.Contracts.Agents;
using Launcher.Client;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Connection;

/// <summary>
/// Keeps the agent connected to launcherd: connect (checking the daemon's kernel uid before sending anything),
/// register, serve the daemon's calls until the connection ends, then wait with backoff and do it again, until
/// stopped. State changes are logged at information, each attempt at debug.
/// </summary>
internal sealed class AgentRunner
{
    private readonly Func<CancellationToken, Task<LauncherClient>> _connect;
    private readonly Func<RegisterParams> _registration;
    private readonly NotificationInbox _inbox;
    private readonly AckOutbox _acks;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _socketPath;

    public AgentRunner(
        string socketPath,
        Func<CancellationToken, Task<LauncherClient>> connect,
        Func<RegisterParams> registration,
        NotificationInbox inbox,
        AckOutbox acks,
        ReconnectBackoff backoff,
        TimeProvider time,
        ILogger logger)
    {
        _socketPath = socketPath;
        _connect = connect;
        _registration = registration;
        _inbox = inbox;
        _acks = acks;
        _backoff = backoff;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; then closes the connection and returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task worker = _inbox.RunAsync(cancellationToken);
        try
        {
            await ConnectLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await worker.ConfigureAwait(false);
        }
    }

    private async Task ConnectLoopAsync(CancellationToken cancellationToken)
    {
        string? lastProblem = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            Log.Connecting(_logger, _socketPath, _backoff.Attempt + 1);
            LauncherClient client;
            try
            {
                client = await _connect(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (DaemonConnectException ex)
            {
                if (ex.Message != lastProblem)
                {
                    if (ex.Failure == DaemonConnectFailure.Untrusted)
                    {
                        Log.DaemonRefused(_logger, ex.SocketPath, ex.Message);
                    }
                    else
                    {
                        Log.DaemonUnreachable(_logger, ex.Message, _backoff.Max.TotalSeconds);
                    }

                    lastProblem = ex.Message;
                }

                await WaitAsync(ex.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }

            long connectedAt = _time.GetTimestamp();
            string reason = await ServeAsync(client, cancellationToken).ConfigureAwait(false);
            _backoff.ConnectionEnded(_time.GetElapsedTime(connectedAt));
            lastProblem = null;
            await WaitAsync(reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One connection's life; returns why it ended.</summary>
    private async Task<string> ServeAsync(LauncherClient client, CancellationToken cancellationToken)
    {
        await using (client.ConfigureAwait(false))
        {
            try
            {
                RegisterResult registered = await client.RegisterAsync(_registration(), cancellationToken).ConfigureAwait(false);
                Log.Connected(_logger, client.Daemon?.Uid ?? 0, client.Daemon?.Pid ?? 0, registered.AgentId, registered.Uid, registered.Pending);
                await _acks.AttachAsync(client, cancellationToken).ConfigureAwait(false);
                await WatchAsync(client, cancellationToken).ConfigureAwait(false);
                string reason = client.Connection.CloseReason ?? "closed";
                Log.Disconnected(_logger, reason);
                return reason;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return "stopping";
            }
            catch (RpcException ex)
            {
                Log.RegisterFailed(_logger, ex.Code, ex.Message);
                return ex.Message;
            }
            catch (Exception ex) when (ex is RpcConnectionLostException or RpcTimeoutException)
            {
                Log.Disconnected(_logger, ex.Message);
                return ex.Message;
            }
            finally
            {
                _acks.Detach(client);
            }
        }
    }

    /// <summary>How often a registered agent checks that the daemon still answers.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a heartbeat may take before the connection is given up and made again.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Waits for the connection to end. A daemon that dies closes the socket and ends it at once; one that hangs
    /// with the socket open would not, so a cheap daemon/status every <see cref="HeartbeatInterval"/> that gets no
    /// answer within <see cref="HeartbeatTimeout"/> closes the connection, and the reconnect loop takes over.
    /// </summary>
    private async Task WatchAsync(LauncherClient client, CancellationToken cancellationToken)
    {
        Task completion = client.Connection.Completion;
        using var heartbeat = new PeriodicTimer(HeartbeatInterval, _time);
        while (!completion.IsCompleted)
        {
            Task<bool> tick = heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(completion, tick).ConfigureAwait(false) == completion)
            {
                return;
            }

            await tick.ConfigureAwait(false);
            try
            {
                await client.Connection.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance, cancellationToken, HeartbeatTimeout).ConfigureAwait(false);
            }
            catch (RpcTimeoutException)
            {
                Log.HeartbeatMissed(_logger, HeartbeatTimeout.TotalSeconds);
                client.Connection.Close($"the daemon did not answer a heartbeat within {HeartbeatTimeout.TotalSeconds:0.#} s");
                return;
            }
            catch (RpcException)
            {
                // An answer, even an error, means the daemon is alive.
            }
        }
    }

    private async Task WaitAsync(string reason, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        int attempt = _backoff.Attempt + 1;
        TimeSpan delay = _backoff.NextDelay();
        Log.Waiting(_logger, attempt, (long)delay.TotalMilliseconds, reason);
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
