using Launcher.Contracts.Notifications;
using Launcher.Daemon.Notifications;
using Microsoft.Data.Sqlite;

namespace Launcher.Daemon.Tests.Fleet;

/// <summary>The durable queue of outcomes for the fleet server, in the outbox database.</summary>
public sealed class OutcomeQueueTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 10000)]
    public async Task Ack_OfAFleetNotification_QueuesItsOutcome_WhichSurvivesARestart()
    {
        using var directory = new TempDirectory();
        await using (var store = new NotificationStore(directory.File("outbox.db")))
        {
            Assert.Null(await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1"));
            await store.AckAsync("n1", 1000, NotificationOutcomes.Clicked, "open", s_now);
        }

        await using var reopened = new NotificationStore(directory.File("outbox.db"));

        FleetOutcome outcome = Assert.Single(reopened.PendingOutcomes(10));
        Assert.Equal(new FleetOutcome("srv-1", 1000, NotificationOutcomes.Clicked, "open", s_now), outcome);
        Assert.Equal(1, reopened.PendingOutcomeCount());
        await reopened.MarkOutcomeReportedAsync("srv-1", 1000, NotificationOutcomes.Clicked, s_now);
        Assert.Empty(reopened.PendingOutcomes(10));
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_OfALocalNotification_QueuesNothing()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);

        Assert.Empty(store.PendingOutcomes(10));
    }

    [Fact(Timeout = 10000)]
    public async Task Recording_AnOutcome_WakesTheSender()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1");
        Task<bool> woken = store.OutcomeRecorded.WaitAsync(TimeSpan.FromSeconds(8), TimeProvider.System, CancellationToken.None);

        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);

        Assert.True(await woken);
    }

    [Fact(Timeout = 10000)]
    public async Task FleetId_SentTwice_IsStoredOnce_EvenAfterItWasReported()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));

        string? first = await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1");
        string? second = await store.AddFromFleetAsync(Notification("n2", 1000), "srv-1");
        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        await store.MarkOutcomeReportedAsync("srv-1", 1000, NotificationOutcomes.Shown, s_now);
        await store.PurgeExpiredAsync(s_now.AddDays(2));
        string? third = await store.AddFromFleetAsync(Notification("n3", 1000), "srv-1");

        Assert.Null(first);
        Assert.Equal("n1", second);
        Assert.NotNull(third);
        Assert.Empty(store.Pending(1000, s_now));
    }

    [Fact(Timeout = 10000)]
    public async Task FleetNotification_ExpiringUnacknowledged_IsReportedExpired()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1");
        await store.AddFromFleetAsync(Notification("n2", 1000), "srv-2");
        await store.AckAsync("n2", 1000, NotificationOutcomes.Dismissed, null, s_now);

        await store.PurgeExpiredAsync(s_now.AddDays(2));

        IReadOnlyList<FleetOutcome> outcomes = store.PendingOutcomes(10);
        Assert.Equal(2, outcomes.Count);
        Assert.Contains(outcomes, o => o.FleetId == "srv-1" && o.Outcome == "expired" && o.Uid == 1000);
        Assert.Contains(outcomes, o => o.FleetId == "srv-2" && o.Outcome == NotificationOutcomes.Dismissed);
    }

    [Fact(Timeout = 10000)]
    public async Task Database_FromBeforeTheFleet_IsMigratedWithItsRows()
    {
        using var directory = new TempDirectory();
        string path = directory.File("outbox.db");
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using SqliteCommand create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE notifications (id TEXT PRIMARY KEY, target_uid INTEGER NULL, title TEXT NOT NULL, body TEXT NOT NULL,
                    url TEXT NULL, actions TEXT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
                CREATE TABLE acks (notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE, uid INTEGER NOT NULL,
                    outcome TEXT NOT NULL, action_id TEXT NULL, acked_at INTEGER NOT NULL, PRIMARY KEY (notification_id, uid));
                INSERT INTO notifications VALUES ('old', 1000, 't', 'b', NULL, NULL, 1, 9999999999999);
                """;
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var store = new NotificationStore(path);

        Assert.Equal("old", Assert.Single(store.Pending(1000, s_now)).Id);
        Assert.Null(await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1"));
        Assert.Empty(store.PendingOutcomes(10));
    }

    [Fact(Timeout = 10000)]
    public async Task LaterStage_QueuedWhileAnEarlierOneIsBeingReported_IsStillSent()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        Assert.Null(await store.AddFromFleetAsync(Notification("n1", 1000), "srv-1"));

        // "shown" is taken for sending; the user clicks before the server's answer is recorded.
        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        Assert.Equal(NotificationOutcomes.Shown, Assert.Single(store.PendingOutcomes(10)).Outcome);
        await store.AckAsync("n1", 1000, NotificationOutcomes.Clicked, "open", s_now.AddSeconds(1));
        await store.MarkOutcomeReportedAsync("srv-1", 1000, NotificationOutcomes.Shown, s_now.AddSeconds(2));

        FleetOutcome pending = Assert.Single(store.PendingOutcomes(10));
        Assert.Equal(NotificationOutcomes.Clicked, pending.Outcome);
        Assert.Equal("open", pending.ActionId);
    }

    private static StoredNotification Notification(string id, uint? uid) =>
        new(id, uid, "title " + id, "body", null, null, s_now, s_now.AddDays(1));
}
