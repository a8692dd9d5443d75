using Launcher.Contracts;
using Launcher.Contracts.Notifications;
using Launcher.Client;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Notifications;

/// <summary>
/// Sends <c>notification/ack</c> on the current registered connection. An ack that cannot be sent because there is
/// no connection, or the connection dropped, is kept (one per id, bounded) and sent after the next registration.
/// The daemon re-delivers unacknowledged notifications anyway and the de-duplication answers those with the same
/// ack, so this only makes the daemon learn the outcome sooner.
/// </summary>
internal sealed class AckOutbox
{
    public const int MaxUnsent = 10_000;

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AckNotificationParams> _unsent = new(StringComparer.Ordinal);
    private LauncherClient? _client;

    public AckOutbox(ILogger logger)
    {
        _logger = logger;
    }

    public int UnsentCount
    {
        get
        {
            lock (_lock)
            {
                return _unsent.Count;
            }
        }
    }

    /// <summary>Uses <paramref name="client"/> (registered) from now on and sends what was kept.</summary>
    public async Task AttachAsync(LauncherClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        AckNotificationParams[] kept;
        lock (_lock)
        {
            _client = client;
            kept = [.. _unsent.Values];
            _unsent.Clear();
        }

        if (kept.Length > 0)
        {
            Log.ResendingAcks(_logger, kept.Length);
        }

        foreach (AckNotificationParams ack in kept)
        {
            await SendAsync(ack, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops using <paramref name="client"/> (its connection ended).</summary>
    public void Detach(LauncherClient client)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_client, client))
            {
                _client = null;
            }
        }
    }

    /// <summary>Sends the ack now, or keeps it for the next connection. Never throws for a daemon-side failure.</summary>
    public async Task SendAsync(AckNotificationParams ack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        LauncherClient? client;
        lock (_lock)
        {
            client = _client;
        }

        if (client is null)
        {
            Keep(ack, "not connected");
            return;
        }

        try
        {
            AckNotificationResult result = await client.AckAsync(ack, cancellationToken).ConfigureAwait(false);
            Log.AckSent(_logger, ack.Id, ack.Outcome, result.AlreadyAcknowledged);
        }
        catch (RpcException ex) when (ex.Code == ErrorCodes.NotFound)
        {
            // Expired meanwhile, or purged: nothing left to acknowledge.
            Log.AckNotFound(_logger, ack.Id);
        }
        catch (RpcException ex)
        {
            Log.AckRefused(_logger, ack.Id, ex.Code, ex.Message);
        }
        catch (Exception ex) when (ex is RpcConnectionLostException or RpcTimeoutException or IOException or ObjectDisposedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A timed-out ack may have arrived; sending it again is harmless (the daemon answers alreadyAcknowledged).
            Keep(ack, ex.Message);
        }
        catch (OperationCanceledException)
        {
            Keep(ack, "the agent is stopping");
        }
    }

    private void Keep(AckNotificationParams ack, string reason)
    {
        lock (_lock)
        {
            if (_unsent.TryGetValue(ack.Id, out AckNotificationParams? kept) && !NotificationOutcomes.Supersedes(ack.Outcome, kept.Outcome))
            {
                // The one kept already says as much or more (a click is never replaced by a late "shown").
                return;
            }

            if (_unsent.Count >= MaxUnsent && kept is null)
            {
                // Dropping one is safe: the daemon re-delivers, and the seen set answers with the same ack.
                Log.AckDropped(_logger, ack.Id);
                return;
            }

            _unsent[ack.Id] = ack;
        }

        Log.AckKept(_logger, ack.Id, reason);
    }
}
