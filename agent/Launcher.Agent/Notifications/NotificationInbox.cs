using System.Threading.Channels;
using Launcher.Agent.Presenters;
using Launcher.Contracts.Notifications;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Notifications;

/// <summary>
/// Takes <c>notification/show</c> from the daemon and shows each id at most once. A new id is recorded as in
/// progress and queued; one worker shows them in arrival order and acknowledges the outcome. An id seen before is
/// never shown again: when its outcome is known the same ack is sent again (the daemon re-delivers until it learns
/// it), and while it is still being shown the repeat is ignored. What the user does later (a click, an action, a
/// dismissal) arrives from the presenter as an interaction: it replaces the interim outcome in the seen set and is
/// acknowledged at once (the daemon keeps the later stage).
/// </summary>
internal sealed class NotificationInbox
{
    public const int MaxQueued = 1_000;
    public const int MaxQueuedInteractions = 1_000;
    private const int MaxIdLength = 64;

    private readonly SeenNotifications _seen;
    private readonly INotificationPresenter _presenter;
    private readonly AckOutbox _acks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<ShowNotificationParams> _queue = Channel.CreateBounded<ShowNotificationParams>(
        new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Channel<NotificationInteraction> _interactions = Channel.CreateBounded<NotificationInteraction>(
        new BoundedChannelOptions(MaxQueuedInteractions) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public NotificationInbox(SeenNotifications seen, INotificationPresenter presenter, AckOutbox acks, TimeProvider time, ILogger logger)
    {
        _seen = seen ?? throw new ArgumentNullException(nameof(seen));
        _presenter = presenter ?? throw new ArgumentNullException(nameof(presenter));
        _acks = acks ?? throw new ArgumentNullException(nameof(acks));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _presenter.SetInteractionHandler(OnInteraction);
    }

    /// <summary>The <c>notification/show</c> handler: decides at once, never waits for the presenter.</summary>
    public ValueTask OnShowAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Id.Length is 0 or > MaxIdLength)
        {
            Log.BadNotificationId(_logger, notification.Id.Length);
            return ValueTask.CompletedTask;
        }

        bool taken;
        SeenRecord? existing;
        try
        {
            taken = _seen.TryBegin(notification.Id, out existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // In memory the id is taken; only a restart before the next successful write could show it twice.
            Log.SeenSaveFailed(_logger, ex.Message);
            taken = true;
            existing = null;
        }

        if (!taken)
        {
            if (existing!.InProgress)
            {
                Log.DuplicateInProgress(_logger, notification.Id);
                return ValueTask.CompletedTask;
            }

            Log.DuplicateReAck(_logger, notification.Id, existing.Outcome!);

            // Not awaited: a burst of re-deliveries must not hold the engine's per-connection request slots while
            // each ack makes its round trip. SendAsync handles every failure itself.
            _ = _acks.SendAsync(ToAck(existing), CancellationToken.None);
            return ValueTask.CompletedTask;
        }

        if (!_queue.Writer.TryWrite(notification))
        {
            // Forgotten again so that the daemon's next delivery gets a fresh chance.
            Log.QueueFull(_logger, notification.Id, MaxQueued);
            TryForget(notification.Id);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Shows queued notifications one at a time, and acknowledges interactions as they come, until
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(RunShowsAsync(cancellationToken), RunInteractionsAsync(cancellationToken));

    /// <summary>The presenter's interaction handler: queues, never blocks the presenter's thread.</summary>
    private void OnInteraction(NotificationInteraction interaction)
    {
        if (!_interactions.Writer.TryWrite(interaction))
        {
            // The notification stays at its interim outcome on the daemon's side; nothing else is lost.
            Log.InteractionDropped(_logger, interaction.Id, interaction.Outcome, MaxQueuedInteractions);
        }
    }

    private async Task RunInteractionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (NotificationInteraction interaction in _interactions.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.NotificationInteraction(_logger, interaction.Id, interaction.Outcome, interaction.ActionId ?? "-", interaction.Reason);
                SeenRecord record;
                try
                {
                    record = _seen.Complete(interaction.Id, interaction.Outcome, interaction.Reason, interaction.ActionId);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.SeenSaveFailed(_logger, ex.Message);
                    record = new SeenRecord(interaction.Id, interaction.Outcome, interaction.Reason, _time.GetUtcNow(), interaction.ActionId);
                }

                await _acks.SendAsync(ToAck(record), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: an interaction not yet acknowledged leaves the notification at its interim outcome.
        }
    }

    private async Task RunShowsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (ShowNotificationParams notification in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await ShowOneAsync(notification, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: queued ids stay "in progress" on disk and are acknowledged as failed after a restart.
        }
    }

    private async Task ShowOneAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        PresentationResult result;
        if (notification.ExpiresAt <= _time.GetUtcNow())
        {
            result = PresentationResult.Failed("it expired before it could be shown");
        }
        else
        {
            try
            {
                result = await _presenter.PresentAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                result = PresentationResult.Failed($"the {_presenter.Name} presenter failed: {ex.Message}");
            }
        }

        if (result.Delivered)
        {
            Log.NotificationShown(_logger, notification.Id, _presenter.Name, result.Outcome, result.Reason);
        }
        else
        {
            Log.NotificationNotShown(_logger, notification.Id, result.Reason);
        }

        SeenRecord record;
        try
        {
            record = _seen.Complete(notification.Id, result.Outcome, result.Delivered ? null : result.Reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.SeenSaveFailed(_logger, ex.Message);
            record = new SeenRecord(notification.Id, result.Outcome, result.Delivered ? null : result.Reason, _time.GetUtcNow());
        }

        await _acks.SendAsync(ToAck(record), cancellationToken).ConfigureAwait(false);
    }

    private void TryForget(string id)
    {
        try
        {
            _seen.Forget(id);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.SeenSaveFailed(_logger, ex.Message);
        }
    }

    private static AckNotificationParams ToAck(SeenRecord record) => new()
    {
        Id = record.Id,
        Outcome = record.Outcome!,
        ActionId = record.Outcome == NotificationOutcomes.Clicked ? record.ActionId : null,
        Detail = record.Detail is { Length: > 512 } detail ? detail[..512] : record.Detail,
    };
}
