using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Platform.Files;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Daemon.Notifications;

/// <summary>
/// The durable outbox: SQLite in WAL mode with synchronous=FULL, so a committed notification or acknowledgement
/// survives kill -9 and power loss. Writes go through one writer that commits them in groups (many acks of a
/// fan-out share one fsync); each caller's task completes only after its group is committed.
/// At start it checks the database (<c>PRAGMA quick_check</c>) and compares the count of committed notifications
/// with the one kept outside it (<see cref="OutboxHighWaterMark"/>): a database that is broken is moved aside and
/// replaced, committed work that vanished is counted, and both are reported in <see cref="Health"/>, never a reason
/// for the daemon (and with it the identity) not to start.
/// </summary>
internal sealed class NotificationStore : IAsyncDisposable
{
    private const int MaxGroup = 512;
    private static readonly TimeSpan ReportedOutcomeRetention = TimeSpan.FromDays(7);
    private const string CommittedKey = "committed_notifications";
    private readonly string _connectionString;
    private readonly Channel<WriteOperation> _writes = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly Task _writerLoop;
    private readonly OutboxHighWaterMark _mark;
    private readonly ILogger _logger;
    private long _version;
    private bool _outcomeAdded;
    private bool _groupAddedNotifications;

    public NotificationStore(string databasePath, ILogger? logger = null, TimeProvider? time = null)
    {
        _logger = logger ?? NullLogger.Instance;
        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        if (SecureFile.IsSymbolicLink(databasePath))
        {
            throw new UnauthorizedAccessException($"{databasePath} is a symbolic link.");
        }

        _mark = new OutboxHighWaterMark(Path.ChangeExtension(databasePath, ".committed"));
        long? recorded = null;
        try
        {
            recorded = _mark.Read();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.OutboxCountUnreadable(_logger, _mark.Path, ex.Message);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 5,
        }.ToString();

        string? broken = null;
        string? movedAside = null;
        SqliteConnection? writer = null;
        try
        {
            writer = OpenChecked(databasePath);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidDataException)
        {
            writer?.Dispose();
            broken = ex is SqliteException sqlite ? $"the database cannot be used ({sqlite.Message.TrimEnd('.')})" : ex.Message;
            movedAside = MoveAside(databasePath, now);
            Log.OutboxMovedAside(_logger, movedAside);
            writer = OpenChecked(databasePath);
        }

        _writer = writer;
        long inDatabase = ReadCommitted(_writer);
        long lost = recorded is long r && r > inDatabase ? r - inDatabase : 0;
        if (lost > 0)
        {
            // Later counts go on from the recorded one, so the mark never runs behind again.
            SetCommitted(_writer, recorded!.Value);
            broken ??= $"{lost} committed notifications vanished from the database (its WAL or pages were deleted, truncated or replaced)";
        }

        Health = broken is null
            ? new OutboxHealth { State = OutboxStates.Ok }
            : new OutboxHealth { State = OutboxStates.RecoveredWithLoss, LostNotifications = lost, Reason = recorded is null && lost == 0 ? broken + "; how many notifications it held is not known" : broken, DetectedAt = now, MovedAsideTo = movedAside };
        if (broken is not null)
        {
            Log.OutboxDamaged(_logger, Health.Reason!, lost);
        }

        _mark.Write(Math.Max(recorded ?? 0, ReadCommitted(_writer)));
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    /// <summary>What the start-up check found.</summary>
    public OutboxHealth Health { get; }

    private SqliteConnection OpenChecked(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            // Created 0600 without following links; SQLite gives its -wal and -shm files the same mode.
            SecureFile.WriteAllBytesAtomic(databasePath, ReadOnlySpan<byte>.Empty);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (SqliteCommand check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                if (check.ExecuteScalar() is not string verdict || verdict != "ok")
                {
                    throw new InvalidDataException("the database failed its integrity check (PRAGMA quick_check)");
                }
            }

            CreateSchema(connection);
            Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string MoveAside(string databasePath, DateTimeOffset now)
    {
        // Every pooled handle must be closed before the files are renamed.
        SqliteConnection.ClearAllPools();
        string target = $"{databasePath}.broken-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        for (int attempt = 1; File.Exists(target); attempt++)
        {
            target = $"{databasePath}.broken-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-{attempt}";
        }

        File.Move(databasePath, target);
        foreach (string suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(databasePath + suffix))
            {
                File.Move(databasePath + suffix, target + suffix);
            }
        }

        return target;
    }

    private static long ReadCommitted(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM outbox_meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", CommittedKey);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void SetCommitted(SqliteConnection connection, long value)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox_meta SET value = $value WHERE key = $key";
        command.Parameters.AddWithValue("$key", CommittedKey);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA foreign_keys=ON;
            CREATE TABLE IF NOT EXISTS notifications (
                id TEXT PRIMARY KEY,
                target_uid INTEGER NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                url TEXT NULL,
                actions TEXT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS acks (
                notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
                uid INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                action_id TEXT NULL,
                acked_at INTEGER NOT NULL,
                PRIMARY KEY (notification_id, uid)
            );
            CREATE INDEX IF NOT EXISTS notifications_by_target ON notifications(target_uid, created_at);
            CREATE INDEX IF NOT EXISTS notifications_by_expiry ON notifications(expires_at);
            CREATE TABLE IF NOT EXISTS outbox_meta (
                key TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO outbox_meta (key, value) VALUES ('committed_notifications', (SELECT COUNT(*) FROM notifications));
            """);
    }

    /// <summary>Goes up with every committed write group, before its callers learn of it: a cached count taken at an
    /// older version is out of date.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Set after a commit that queued a fleet outcome: the fleet link waits on it to report.</summary>
    public WakeSignal OutcomeRecorded { get; } = new();

    /// <summary>Stores a notification; returns once it is committed.</summary>
    public Task AddAsync(StoredNotification notification)
    {
        return Enqueue(connection => Insert(connection, notification, null));
    }

    /// <summary>
    /// Stores a notification the fleet server sent, deduplicated on the server's id: returns the local id of the
    /// notification already stored (or already reported) for <paramref name="fleetId"/>, or null when this call
    /// stored it.
    /// </summary>
    public Task<string?> AddFromFleetAsync(StoredNotification notification, string fleetId)
    {
        return Enqueue(connection =>
        {
            using SqliteCommand check = connection.CreateCommand();
            check.CommandText = """
                SELECT id FROM notifications WHERE fleet_id = $fleet
                UNION ALL SELECT '' FROM fleet_outcomes WHERE fleet_id = $fleet
                LIMIT 1
                """;
            check.Parameters.AddWithValue("$fleet", fleetId);
            if (check.ExecuteScalar() is string existing)
            {
                return existing;
            }

            Insert(connection, notification, fleetId);
            return (string?)null;
        });
    }

    /// <summary>Outcomes waiting to be reported to the fleet server, oldest first.</summary>
    public IReadOnlyList<FleetOutcome> PendingOutcomes(int max)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT fleet_id, uid, outcome, action_id, at FROM fleet_outcomes WHERE reported_at IS NULL ORDER BY at, fleet_id, uid LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new List<FleetOutcome>();
        while (reader.Read())
        {
            result.Add(new FleetOutcome(
                reader.GetString(0),
                (uint)reader.GetInt64(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return result;
    }

    /// <summary>How many outcomes wait for the fleet server.</summary>
    public int PendingOutcomeCount()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM fleet_outcomes WHERE reported_at IS NULL";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The server has the outcome: it is no longer sent. The row stays (purged a week later), so a resend of
    /// the notification by the server is still recognised as a duplicate after the notification itself expired.</summary>
    /// <remarks>Only the outcome that was sent is marked: a later stage queued meanwhile is still sent.</remarks>
    public Task MarkOutcomeReportedAsync(string fleetId, uint uid, string outcome, DateTimeOffset now)
    {
        return Enqueue(connection =>
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE fleet_outcomes SET reported_at = $now WHERE fleet_id = $fleet AND uid = $uid AND outcome = $outcome";
            command.Parameters.AddWithValue("$outcome", outcome);
            command.Parameters.AddWithValue("$fleet", fleetId);
            command.Parameters.AddWithValue("$uid", (long)uid);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        });
    }

    private AckStatus Insert(SqliteConnection connection, StoredNotification notification, string? fleetId)
    {
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO notifications (id, target_uid, title, body, url, actions, created_at, expires_at, fleet_id)
                VALUES ($id, $target, $title, $body, $url, $actions, $created, $expires, $fleet)
                """;
            command.Parameters.AddWithValue("$fleet", (object?)fleetId ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", notification.Id);
            command.Parameters.AddWithValue("$target", notification.TargetUid is uint uid ? (long)uid : DBNull.Value);
            command.Parameters.AddWithValue("$title", notification.Title);
            command.Parameters.AddWithValue("$body", notification.Body);
            command.Parameters.AddWithValue("$url", (object?)notification.Url ?? DBNull.Value);
            command.Parameters.AddWithValue("$actions", notification.Actions is null ? DBNull.Value : JsonSerializer.Serialize(notification.Actions, OutboxJsonContext.Default.IReadOnlyListNotificationAction));
            command.Parameters.AddWithValue("$created", notification.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$expires", notification.ExpiresAt.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            using SqliteCommand count = connection.CreateCommand();
            count.CommandText = "UPDATE outbox_meta SET value = value + 1 WHERE key = 'committed_notifications'";
            count.ExecuteNonQuery();
            _groupAddedNotifications = true;
            return AckStatus.Recorded;
        }
    }

    /// <summary>
    /// Records <paramref name="uid"/>'s outcome for a notification aimed at that uid (or at everyone). An outcome
    /// of a later stage replaces an earlier one (submitted, then shown, then clicked, dismissed, expired or failed);
    /// anything else leaves the record as it is. The result carries the outcome that was replaced, if any.
    /// </summary>
    public Task<AckRecordResult> AckAsync(string id, uint uid, string outcome, string? actionId, DateTimeOffset now)
    {
        return Enqueue(connection =>
        {
            using SqliteCommand check = connection.CreateCommand();
            check.CommandText = "SELECT 1 FROM notifications WHERE id = $id AND (target_uid = $uid OR target_uid IS NULL) AND expires_at > $now";
            check.Parameters.AddWithValue("$id", id);
            check.Parameters.AddWithValue("$uid", (long)uid);
            check.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (check.ExecuteScalar() is null)
            {
                return new AckRecordResult(AckStatus.NotFound, null);
            }

            using SqliteCommand current = connection.CreateCommand();
            current.CommandText = "SELECT outcome FROM acks WHERE notification_id = $id AND uid = $uid";
            current.Parameters.AddWithValue("$id", id);
            current.Parameters.AddWithValue("$uid", (long)uid);
            if (current.ExecuteScalar() is string previous)
            {
                if (!NotificationOutcomes.Supersedes(outcome, previous))
                {
                    return new AckRecordResult(AckStatus.AlreadyAcknowledged, previous);
                }

                using SqliteCommand update = connection.CreateCommand();
                update.CommandText = "UPDATE acks SET outcome = $outcome, action_id = $action, acked_at = $now WHERE notification_id = $id AND uid = $uid";
                update.Parameters.AddWithValue("$id", id);
                update.Parameters.AddWithValue("$uid", (long)uid);
                update.Parameters.AddWithValue("$outcome", outcome);
                update.Parameters.AddWithValue("$action", (object?)actionId ?? DBNull.Value);
                update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                update.ExecuteNonQuery();
                QueueFleetOutcome(connection, id, uid, outcome, actionId, now);
                return new AckRecordResult(AckStatus.Updated, previous);
            }

            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO acks (notification_id, uid, outcome, action_id, acked_at) VALUES ($id, $uid, $outcome, $action, $now)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$uid", (long)uid);
            insert.Parameters.AddWithValue("$outcome", outcome);
            insert.Parameters.AddWithValue("$action", (object?)actionId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (insert.ExecuteNonQuery() != 1)
            {
                return new AckRecordResult(AckStatus.AlreadyAcknowledged, null);
            }

            QueueFleetOutcome(connection, id, uid, outcome, actionId, now);
            return new AckRecordResult(AckStatus.Recorded, null);
        });
    }

    /// <summary>
    /// For a notification from the fleet, queues the outcome for the server in the same transaction as the ack, so it
    /// is either recorded and queued or neither. A later stage replaces a queued (or already reported) earlier one,
    /// which is then reported again: the server keeps the latest stage.
    /// </summary>
    private void QueueFleetOutcome(SqliteConnection connection, string id, uint uid, string outcome, string? actionId, DateTimeOffset now)
    {
        using SqliteCommand queue = connection.CreateCommand();
        queue.CommandText = """
            INSERT INTO fleet_outcomes (fleet_id, uid, outcome, action_id, at)
            SELECT fleet_id, $uid, $outcome, $action, $now FROM notifications WHERE id = $id AND fleet_id IS NOT NULL
            ON CONFLICT (fleet_id, uid) DO UPDATE SET outcome = excluded.outcome, action_id = excluded.action_id, at = excluded.at, reported_at = NULL
            """;
        queue.Parameters.AddWithValue("$id", id);
        queue.Parameters.AddWithValue("$uid", (long)uid);
        queue.Parameters.AddWithValue("$outcome", outcome);
        queue.Parameters.AddWithValue("$action", (object?)actionId ?? DBNull.Value);
        queue.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        if (queue.ExecuteNonQuery() == 1)
        {
            _outcomeAdded = true;
        }
    }

    /// <summary>Deletes expired notifications and their acks; returns how many.</summary>
    public Task<int> PurgeExpiredAsync(DateTimeOffset now)
    {
        return Enqueue(connection =>
        {
            // A fleet notification aimed at one user that expires unacknowledged is reported as expired.
            using SqliteCommand expired = connection.CreateCommand();
            expired.CommandText = """
                INSERT OR IGNORE INTO fleet_outcomes (fleet_id, uid, outcome, action_id, at)
                SELECT n.fleet_id, n.target_uid, 'expired', NULL, n.expires_at FROM notifications n
                WHERE n.expires_at <= $now AND n.fleet_id IS NOT NULL AND n.target_uid IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.notification_id = n.id AND a.uid = n.target_uid)
                """;
            expired.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (expired.ExecuteNonQuery() > 0)
            {
                _outcomeAdded = true;
            }

            using SqliteCommand reported = connection.CreateCommand();
            reported.CommandText = "DELETE FROM fleet_outcomes WHERE reported_at IS NOT NULL AND reported_at <= $before";
            reported.Parameters.AddWithValue("$before", (now - ReportedOutcomeRetention).ToUnixTimeMilliseconds());
            reported.ExecuteNonQuery();

            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM notifications WHERE expires_at <= $now";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>Notifications <paramref name="uid"/> has not acknowledged and that have not expired, oldest first.</summary>
    public IReadOnlyList<StoredNotification> Pending(uint uid, DateTimeOffset now)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT n.id, n.target_uid, n.title, n.body, n.url, n.actions, n.created_at, n.expires_at
            FROM notifications n
            WHERE (n.target_uid = $uid OR n.target_uid IS NULL) AND n.expires_at > $now
              AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.notification_id = n.id AND a.uid = $uid)
            ORDER BY n.created_at, n.id
            """;
        command.Parameters.AddWithValue("$uid", (long)uid);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        using SqliteDataReader reader = command.ExecuteReader();
        var result = new List<StoredNotification>();
        while (reader.Read())
        {
            result.Add(new StoredNotification(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : (uint)reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), OutboxJsonContext.Default.IReadOnlyListNotificationAction),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return result;
    }

    /// <summary>Unexpired notifications aimed at one user and not yet acknowledged, plus unexpired all-user ones.</summary>
    public int PendingCount(DateTimeOffset now)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM notifications n
            WHERE n.expires_at > $now
              AND (n.target_uid IS NULL OR NOT EXISTS (SELECT 1 FROM acks a WHERE a.notification_id = n.id AND a.uid = n.target_uid))
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The action id recorded with one uid's <c>clicked</c> outcome, if any (for tools and tests).</summary>
    public string? ActionFor(string id, uint uid)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT action_id FROM acks WHERE notification_id = $id AND uid = $uid";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$uid", (long)uid);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The acknowledgement of one uid, if any (for tools and tests).</summary>
    public string? OutcomeFor(string id, uint uid)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT outcome FROM acks WHERE notification_id = $id AND uid = $uid";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$uid", (long)uid);
        return command.ExecuteScalar() as string;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        _mark.Dispose();
    }

    private Task<T> Enqueue<T>(Func<SqliteConnection, T> work)
    {
        var operation = new WriteOperation<T>(work);
        if (!_writes.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(NotificationStore));
        }

        return operation.Task;
    }

    private async Task WriterLoopAsync()
    {
        var group = new List<WriteOperation>(MaxGroup);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out WriteOperation? operation))
            {
                group.Add(operation);
            }

            CommitGroup(group);
        }
    }

    private void CommitGroup(List<WriteOperation> group)
    {
        _groupAddedNotifications = false;
        try
        {
            using SqliteTransaction transaction = _writer.BeginTransaction(deferred: false);
            for (int i = 0; i < group.Count; i++)
            {
                // A savepoint per operation: one failing insert does not undo the others of its group.
                Execute(_writer, "SAVEPOINT op");
                try
                {
                    group[i].Run(_writer);
                    Execute(_writer, "RELEASE op");
                }
                catch (SqliteException ex)
                {
                    Execute(_writer, "ROLLBACK TO op; RELEASE op");
                    group[i].Fail(ex);
                }
            }

            transaction.Commit();
            Interlocked.Increment(ref _version);
        }
        catch (SqliteException ex)
        {
            _outcomeAdded = false;
            _groupAddedNotifications = false;
            foreach (WriteOperation operation in group)
            {
                operation.Fail(ex);
            }

            return;
        }

        if (_groupAddedNotifications)
        {
            // Before any sender hears "stored": the mark is never behind a notification someone was told about.
            RecordCommitted();
        }

        foreach (WriteOperation operation in group)
        {
            operation.Publish();
        }

        if (_outcomeAdded)
        {
            _outcomeAdded = false;
            OutcomeRecorded.Set();
        }
    }

    /// <summary>Schema changes after the first release, in order; PRAGMA user_version says how many ran.</summary>
    private static void Migrate(SqliteConnection connection)
    {
        using SqliteCommand version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        long current = (long)version.ExecuteScalar()!;
        if (current < 1)
        {
            // 1: notifications from the fleet server (deduplicated on its id) and their outcomes waiting for it.
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, """
                ALTER TABLE notifications ADD COLUMN fleet_id TEXT NULL;
                CREATE UNIQUE INDEX notifications_by_fleet_id ON notifications(fleet_id) WHERE fleet_id IS NOT NULL;
                CREATE TABLE fleet_outcomes (
                    fleet_id TEXT NOT NULL,
                    uid INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    action_id TEXT NULL,
                    at INTEGER NOT NULL,
                    reported_at INTEGER NULL,
                    PRIMARY KEY (fleet_id, uid)
                );
                CREATE INDEX fleet_outcomes_pending ON fleet_outcomes(at) WHERE reported_at IS NULL;
                PRAGMA user_version = 1;
                """);
            transaction.Commit();
        }
    }

    private void RecordCommitted()
    {
        try
        {
            _mark.Write(ReadCommitted(_writer));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            // The notifications are committed; failing their senders now would only make them send twice.
            Log.OutboxCountWriteFailed(_logger, ex, _mark.Path);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
