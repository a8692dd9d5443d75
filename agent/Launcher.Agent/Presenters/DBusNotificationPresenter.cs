using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows notifications on Linux through the user's session bus, calling <c>org.freedesktop.Notifications.Notify</c>
/// directly (Tmds.DBus.Protocol): <c>shown</c> only once the server returned an id. The default action (a click on
/// the notification) and the notification's actions are offered when the server supports actions;
/// <c>ActionInvoked</c> becomes <c>clicked</c> (with the action's id for an action; a click opens the URL with
/// xdg-open), and <c>NotificationClosed</c> becomes <c>expired</c> (reason 1) or <c>dismissed</c> (reason 2).
/// </summary>
/// <remarks>
/// One connection, opened on first use and again after the bus went away. While it is down, notifications fail
/// with the reason (the daemon re-delivers nothing that was acknowledged, so the failure is what the admin sees).
/// Notifications shown on a connection that died can no longer report clicks: the server sends its signals to the
/// connection that asked, so their outcome stays <c>shown</c>. Close reasons 3 (closed by a call; the agent never
/// makes one) and 4 (undefined) say nothing about the user and leave the outcome at <c>shown</c>.
/// </remarks>
internal sealed class DBusNotificationPresenter : INotificationPresenter, IAsyncDisposable
{
    private readonly Func<string?> _address;
    private readonly IUrlOpener _opener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, TrackedNotification> _tracked = [];
    private readonly LinkedList<uint> _trackedOrder = new();
    private readonly Dictionary<uint, EarlySignals> _early = [];
    private readonly CancellationTokenSource _disposed = new();
    private DBusConnection? _connection;
    private DBusServerCapabilities? _server;
    private Action<NotificationInteraction>? _handler;

    public DBusNotificationPresenter(Func<string?> address, IUrlOpener opener, TimeProvider time, ILogger logger)
    {
        _address = address ?? throw new ArgumentNullException(nameof(address));
        _opener = opener ?? throw new ArgumentNullException(nameof(opener));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public string Name => PresenterFactory.System;

    /// <summary>
    /// Truthful delivery always (Notify returns an id or fails); clicks and actions when the server lists the
    /// <c>actions</c> capability, assumed until the server was asked (every common desktop server supports them).
    /// </summary>
    public PresenterCapabilities Capabilities
    {
        get
        {
            bool actions = Volatile.Read(ref _server)?.Actions ?? true;
            return new PresenterCapabilities { Clicks = actions, Actions = actions, TruthfulDelivery = true };
        }
    }

    /// <summary>Notifications awaiting a click or close (for tests and status).</summary>
    public int TrackedCount
    {
        get
        {
            lock (_lock)
            {
                return _tracked.Count;
            }
        }
    }

    public bool IsSupported(out string reason)
    {
        if (_address() is null)
        {
            reason = SessionBusAddress.Missing();
            return false;
        }

        reason = "D-Bus org.freedesktop.Notifications on the session bus";
        return true;
    }

    public void SetInteractionHandler(Action<NotificationInteraction> handler) => _handler = handler;

    /// <summary>Connects and asks the server what it supports, so the first registration advertises the truth.
    /// A failure is logged and tried again with the next notification.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            DBusConnection connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            await EnsureServerAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (PresenterUnavailableException ex)
        {
            Log.DBusNotReady(_logger, ex.Message);
        }
    }

    public async Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        DBusConnection connection;
        DBusServerCapabilities server;
        try
        {
            connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            server = await EnsureServerAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (PresenterUnavailableException ex)
        {
            return PresentationResult.Failed(ex.Message);
        }

        NotifyRequest request = NotifyRequest.Build(notification, server.Actions, server.BodyMarkup, _time.GetUtcNow());
        uint serverId;
        try
        {
            serverId = await CallAsync(connection, CreateNotify(connection, notification.Id, request), static (message, _) => message.GetBodyReader().ReadUInt32(), cancellationToken).ConfigureAwait(false);
        }
        catch (PresenterUnavailableException ex)
        {
            return PresentationResult.Failed(ex.Message);
        }

        // Tracked even without actions: a server without them still reports dismissals and expiries.
        Track(new TrackedNotification(serverId, notification.Id, notification.Url, notification.Actions));

        return PresentationResult.Shown($"the notification server is showing it as id {serverId}");
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        DBusConnection? connection;
        lock (_lock)
        {
            connection = _connection;
            _connection = null;
        }

        connection?.Dispose();
        _connectLock.Dispose();
        _disposed.Dispose();
    }

    private async Task<DBusConnection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        DBusConnection? current = Volatile.Read(ref _connection);
        if (current is not null)
        {
            return current;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = Volatile.Read(ref _connection);
            if (current is not null)
            {
                return current;
            }

            string address = _address() ?? throw new PresenterUnavailableException(SessionBusAddress.Missing());
            var connection = new DBusConnection(new DBusConnectionOptions(address) { AutoConnect = false });
            try
            {
                await connection.ConnectAsync().AsTask().WaitAsync(FreedesktopNotifications.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                await connection.WatchSignalAsync(
                    FreedesktopNotifications.Service,
                    FreedesktopNotifications.Path,
                    FreedesktopNotifications.Interface,
                    "ActionInvoked",
                    static (message, _) =>
                    {
                        Reader reader = message.GetBodyReader();
                        return (reader.ReadUInt32(), reader.ReadString());
                    },
                    (Notification<(uint Id, string Key)> signal) =>
                    {
                        if (signal.Type == NotificationType.Value)
                        {
                            OnActionInvoked(signal.Value.Id, signal.Value.Key);
                        }
                    },
                    ObserverFlags.None,
                    false,
                    null).AsTask().WaitAsync(FreedesktopNotifications.CallTimeout, cancellationToken).ConfigureAwait(false);
                await connection.WatchSignalAsync(
                    FreedesktopNotifications.Service,
                    FreedesktopNotifications.Path,
                    FreedesktopNotifications.Interface,
                    "NotificationClosed",
                    static (message, _) =>
                    {
                        Reader reader = message.GetBodyReader();
                        return (reader.ReadUInt32(), reader.ReadUInt32());
                    },
                    (Notification<(uint Id, uint Reason)> signal) =>
                    {
                        if (signal.Type == NotificationType.Value)
                        {
                            OnClosed(signal.Value.Id, signal.Value.Reason);
                        }
                    },
                    ObserverFlags.None,
                    false,
                    null).AsTask().WaitAsync(FreedesktopNotifications.CallTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DBusExceptionBase or IOException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException or NotSupportedException)
            {
                connection.Dispose();
                throw new PresenterUnavailableException($"cannot reach the D-Bus session bus at {address}: {Describe(ex)}", ex);
            }

            lock (_lock)
            {
                _connection = connection;
            }

            Log.DBusConnected(_logger, address);
            _ = WatchDisconnectAsync(connection);
            return connection;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task<DBusServerCapabilities> EnsureServerAsync(DBusConnection connection, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _server) is DBusServerCapabilities known)
        {
            return known;
        }

        string[] capabilities = await CallAsync(connection, CreateGetCapabilities(connection), static (message, _) => message.GetBodyReader().ReadArrayOfString(), cancellationToken).ConfigureAwait(false);
        var server = new DBusServerCapabilities(
            capabilities.Contains(FreedesktopNotifications.CapabilityActions, StringComparer.Ordinal),
            capabilities.Contains(FreedesktopNotifications.CapabilityBodyMarkup, StringComparer.Ordinal));
        Volatile.Write(ref _server, server);
        Log.DBusServerCapabilities(_logger, string.Join(' ', capabilities.Take(32)));
        return server;
    }

    private async Task<T> CallAsync<T>(DBusConnection connection, MessageBuffer message, MessageValueReader<T> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.CallMethodAsync(message, reader).WaitAsync(FreedesktopNotifications.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException ex)
        {
            string reason = ex.ErrorName is "org.freedesktop.DBus.Error.ServiceUnknown" or "org.freedesktop.DBus.Error.NameHasNoOwner"
                ? $"no notification server on the session bus ({ex.ErrorName}: {ex.ErrorMessage})"
                : $"the notification server refused it ({ex.ErrorName}: {ex.ErrorMessage})";
            throw new PresenterUnavailableException(reason, ex);
        }
        catch (TimeoutException ex)
        {
            throw new PresenterUnavailableException($"the notification server did not answer within {FreedesktopNotifications.CallTimeout.TotalSeconds:0} s", ex);
        }
        catch (Exception ex) when (ex is DBusExceptionBase or IOException or ObjectDisposedException)
        {
            // The bus went away mid-call: forget the connection so that the next notification connects again.
            Forget(connection, ex.Message);
            throw new PresenterUnavailableException($"lost the D-Bus session bus: {Describe(ex)}", ex);
        }
    }

    private static MessageBuffer CreateGetCapabilities(DBusConnection connection)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(
            destination: FreedesktopNotifications.Service,
            path: FreedesktopNotifications.Path,
            @interface: FreedesktopNotifications.Interface,
            member: "GetCapabilities");
        return writer.CreateMessage();
    }

    private static MessageBuffer CreateNotify(DBusConnection connection, string id, NotifyRequest request)
    {
        using MessageWriter writer = connection.GetMessageWriter();
        writer.WriteMethodCallHeader(
            destination: FreedesktopNotifications.Service,
            path: FreedesktopNotifications.Path,
            @interface: FreedesktopNotifications.Interface,
            signature: "susssasa{sv}i",
            member: "Notify");
        writer.WriteString(FreedesktopNotifications.AppName);
        writer.WriteUInt32(0);
        writer.WriteString(string.Empty);
        writer.WriteString(request.Summary);
        writer.WriteString(request.Body);
        writer.WriteArray(request.Actions.ToArray());
        ArrayStart hints = writer.WriteDictionaryStart();
        writer.WriteDictionaryEntryStart();
        writer.WriteString("urgency");
        writer.WriteVariantByte(1);
        writer.WriteDictionaryEntryStart();
        writer.WriteString("x-launcher-id");
        writer.WriteVariantString(id);
        writer.WriteDictionaryEnd(hints);
        writer.WriteInt32(request.ExpireTimeoutMs);
        return writer.CreateMessage();
    }

    private async Task WatchDisconnectAsync(DBusConnection connection)
    {
        Exception? reason;
        try
        {
            reason = await connection.DisconnectedAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException ex)
        {
            reason = ex;
        }

        Forget(connection, reason?.Message ?? "closed");
    }

    private void Forget(DBusConnection connection, string reason)
    {
        int lost;
        lock (_lock)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }

            _connection = null;
            lost = _tracked.Count;
            _tracked.Clear();
            _trackedOrder.Clear();
            _early.Clear();
        }

        // The next server may be another program with other capabilities.
        Volatile.Write(ref _server, null);
        if (!_disposed.IsCancellationRequested)
        {
            Log.DBusDisconnected(_logger, reason, lost);
        }

        connection.Dispose();
    }

    private void Track(TrackedNotification tracked)
    {
        EarlySignals? early;
        lock (_lock)
        {
            _tracked[tracked.ServerId] = tracked;
            _trackedOrder.AddLast(tracked.ServerId);
            while (_tracked.Count > FreedesktopNotifications.MaxTracked && _trackedOrder.First is LinkedListNode<uint> oldest)
            {
                _trackedOrder.RemoveFirst();
                if (_tracked.Remove(oldest.Value, out TrackedNotification? dropped))
                {
                    Log.DBusUntracked(_logger, dropped.Id, FreedesktopNotifications.MaxTracked);
                }
            }

            _early.Remove(tracked.ServerId, out early);
        }

        foreach (Action replay in early?.Replays ?? [])
        {
            replay();
        }
    }

    private void OnActionInvoked(uint serverId, string key)
    {
        TrackedNotification? tracked = Find(serverId, () => OnActionInvoked(serverId, key));
        if (tracked is null)
        {
            return;
        }

        lock (_lock)
        {
            if (tracked.Reported)
            {
                return;
            }

            tracked.Reported = true;
        }

        if (key == FreedesktopNotifications.DefaultActionKey)
        {
            Report(new NotificationInteraction(tracked.Id, NotificationOutcomes.Clicked, null, "the user clicked it"));
            OpenUrl(tracked);
            return;
        }

        string? actionId = NotifyRequest.ActionIdFor(key, tracked.Actions);
        if (actionId is null)
        {
            Log.DBusUnknownAction(_logger, tracked.Id, key.Length > 64 ? key[..64] : key);
            lock (_lock)
            {
                tracked.Reported = false;
            }

            return;
        }

        Report(new NotificationInteraction(tracked.Id, NotificationOutcomes.Clicked, actionId, "the user chose an action"));
    }

    private void OnClosed(uint serverId, uint reason)
    {
        TrackedNotification? tracked = Find(serverId, () => OnClosed(serverId, reason));
        if (tracked is null)
        {
            return;
        }

        bool reported;
        lock (_lock)
        {
            _tracked.Remove(serverId);
            _trackedOrder.Remove(serverId);
            reported = tracked.Reported;
            tracked.Reported = true;
        }

        if (reported)
        {
            return;
        }

        switch (reason)
        {
            case FreedesktopNotifications.ClosedExpired:
                Report(new NotificationInteraction(tracked.Id, NotificationOutcomes.Expired, null, "the notification server took it down after its display time"));
                break;
            case FreedesktopNotifications.ClosedDismissed:
                Report(new NotificationInteraction(tracked.Id, NotificationOutcomes.Dismissed, null, "the user dismissed it"));
                break;
            default:
                // 3 (closed by a CloseNotification call, which the agent never makes) and 4 (undefined) say nothing
                // about what the user did: the outcome stays "shown".
                Log.DBusClosedWithoutOutcome(_logger, tracked.Id, reason);
                break;
        }
    }

    // The server may signal before the Notify reply's continuation has tracked the id: keep the signal briefly.
    private TrackedNotification? Find(uint serverId, Action replay)
    {
        lock (_lock)
        {
            if (_tracked.TryGetValue(serverId, out TrackedNotification? tracked))
            {
                return tracked;
            }

            // Signals about notifications that are not ours (servers may broadcast them) would otherwise fill the
            // buffer for good: entries older than a few seconds are dropped to make room.
            long now = _time.GetTimestamp();
            if (_early.Count >= FreedesktopNotifications.MaxEarlySignals)
            {
                foreach (uint stale in _early.Where(e => _time.GetElapsedTime(e.Value.Since, now) > FreedesktopNotifications.EarlySignalLifetime).Select(e => e.Key).ToArray())
                {
                    _early.Remove(stale);
                }
            }

            if (_early.Count < FreedesktopNotifications.MaxEarlySignals)
            {
                if (!_early.TryGetValue(serverId, out EarlySignals? pending))
                {
                    pending = new EarlySignals(now);
                    _early[serverId] = pending;
                }

                if (pending.Replays.Count < 4)
                {
                    pending.Replays.Add(replay);
                }
            }

            return null;
        }
    }

    private void Report(NotificationInteraction interaction)
    {
        if (_handler is Action<NotificationInteraction> handler)
        {
            handler(interaction);
        }
    }

    private void OpenUrl(TrackedNotification tracked)
    {
        if (tracked.Url is null)
        {
            return;
        }

        if (!UrlPolicy.TryParse(tracked.Url, out Uri? url))
        {
            Log.UrlRefused(_logger, tracked.Id);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                string? failure = await _opener.OpenAsync(url!, _disposed.Token).ConfigureAwait(false);
                if (failure is null)
                {
                    Log.UrlOpened(_logger, tracked.Id);
                }
                else
                {
                    Log.UrlOpenFailed(_logger, tracked.Id, failure);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
            {
                Log.UrlOpenFailed(_logger, tracked.Id, ex.Message);
            }
        });
    }

    private static string Describe(Exception ex) => ex.InnerException is { } inner && inner.Message != ex.Message ? $"{ex.Message} ({inner.Message})" : ex.Message;
}
