using Launcher.Contracts.Status;
using Launcher.Daemon.Notifications;

namespace Launcher.Daemon.Tests.Notifications;

/// <summary>The committed count kept outside the database: written before a sender is answered, compared at start.</summary>
public sealed class OutboxMarkTests
{
    [Fact(Timeout = 20000)]
    public async Task Mark_CountsEveryCommittedNotification_BeforeAddReturns()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        var mark = new OutboxHighWaterMark(directory.File("outbox.committed"));

        for (int i = 1; i <= 3; i++)
        {
            await store.AddAsync(new StoredNotification($"n_{i}", 1000, "t", "b", null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
            Assert.Equal(i, mark.Read());
        }

        Assert.Equal(OutboxStates.Ok, store.Health.State);
    }

    [Fact(Timeout = 20000)]
    public async Task MarkAhead_OfTheDatabase_IsReportedAsLoss_AndCountingGoesOnFromTheMark()
    {
        using var directory = new TempDirectory();
        await using (var store = new NotificationStore(directory.File("outbox.db")))
        {
            await store.AddAsync(new StoredNotification("n_1", 1000, "t", "b", null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
        }

        File.WriteAllText(directory.File("outbox.committed"), "launcher-outbox-committed 5\n");
        await using var reopened = new NotificationStore(directory.File("outbox.db"));
        await reopened.AddAsync(new StoredNotification("n_2", 1000, "t", "b", null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Equal(OutboxStates.RecoveredWithLoss, reopened.Health.State);
        Assert.Equal(4, reopened.Health.LostNotifications);
        Assert.Null(reopened.Health.MovedAsideTo);
        Assert.Equal(6, new OutboxHighWaterMark(directory.File("outbox.committed")).Read());
    }

    [Fact(Timeout = 20000)]
    public async Task UnreadableMark_IsRewritten_AndTheOutboxOpens()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("outbox.committed"), "garbage");

        await using var store = new NotificationStore(directory.File("outbox.db"));

        Assert.Equal(OutboxStates.Ok, store.Health.State);
        Assert.Equal(0, new OutboxHighWaterMark(directory.File("outbox.committed")).Read());
    }
}
