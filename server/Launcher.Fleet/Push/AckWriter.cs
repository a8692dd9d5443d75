using System.Data.Common;
using System.Threading.Channels;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Push;

/// <summary>
/// Group commit of delivery marks and reported outcomes. Each of these was one database transaction of its own
/// (an open, a statement or two, a commit), thousands a second during a broadcast; now the writes that arrive
/// while one batch commits wait and go together in the next transaction (one <c>UPDATE … IN</c> for the
/// deliveries, one ownership read, one upsert per outcome). Durability is unchanged: a caller's task completes only
/// after the transaction holding its write committed, and the daemon's <c>notification/outcome</c> is answered only
/// then; a failed batch fails each of its callers as a single write did.
/// </summary>
internal sealed class AckWriter : BackgroundService
{
    private readonly FleetContext _context;
    private readonly ILogger _logger;
    private readonly Channel<AckItem> _queue;
    private readonly int _maxBatch;

    public AckWriter(FleetContext context, ILogger<AckWriter> logger)
    {
        _context = context;
        _logger = logger;
        _maxBatch = context.Limits.AckBatch;
        _queue = Channel.CreateBounded<AckItem>(new BoundedChannelOptions(context.Limits.AckQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Records that the daemon accepted <paramref name="notificationId"/>; completes once committed.</summary>
    public async Task MarkDeliveredAsync(string notificationId, CancellationToken cancellationToken)
    {
        var item = new AckItem(notificationId, null, null);
        await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        await item.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Applies an outcome reported by <paramref name="machineId"/>; false when that machine was not sent the notification.</summary>
    public async Task<bool> ApplyOutcomeAsync(string machineId, OutcomeParams outcome, CancellationToken cancellationToken)
    {
        var item = new AckItem(outcome.Id, machineId, outcome);
        await _queue.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        return await item.Done.Task.ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AckItem>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out AckItem? item))
                {
                    batch.Add(item);
                }

                await WriteAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (ChannelClosedException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Whatever is queued is still written: ExecuteAsync drains the queue, then ends.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<AckItem> batch)
    {
        var results = new bool[batch.Count];
        try
        {
            await using DbConnection connection = await _context.Database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using DbTransaction transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
            List<string> delivered = batch.Where(i => i.Outcome is null).Select(i => i.NotificationId).Distinct(StringComparer.Ordinal).ToList();
            if (delivered.Count > 0)
            {
                await NotificationStore.MarkDeliveredAsync(connection, transaction, delivered, _context.NowMs).ConfigureAwait(false);
            }

            List<string> reported = batch.Where(i => i.Outcome is not null).Select(i => i.NotificationId).Distinct(StringComparer.Ordinal).ToList();
            Dictionary<string, string> owners = reported.Count > 0
                ? await NotificationStore.OwnersAsync(connection, transaction, reported).ConfigureAwait(false)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < batch.Count; i++)
            {
                AckItem item = batch[i];
                if (item.Outcome is not OutcomeParams outcome)
                {
                    results[i] = true;
                }
                else if (owners.TryGetValue(item.NotificationId, out string? owner) && owner == item.MachineId)
                {
                    await NotificationStore.ApplyOutcomeAsync(connection, transaction, outcome).ConfigureAwait(false);
                    results[i] = true;
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
        {
            Log.AckBatchFailed(_logger, batch.Count, ex.Message);
            foreach (AckItem item in batch)
            {
                item.Done.TrySetException(ex);
            }

            return;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
    }
}
