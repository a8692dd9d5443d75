using Launcher.Contracts.Notifications;
using Launcher.Daemon.Notifications;

namespace Launcher.Daemon.Tests.Notifications;

public sealed class NotificationStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 10000)]
    public async Task Add_ThenReopen_NotificationIsStillPending()
    {
        using var directory = new TempDirectory();
        await using (var store = new NotificationStore(directory.File("outbox.db")))
        {
            await store.AddAsync(Notification("n1", 1000));
        }

        await using var reopened = new NotificationStore(directory.File("outbox.db"));

        StoredNotification pending = Assert.Single(reopened.Pending(1000, s_now));
        Assert.Equal("n1", pending.Id);
        Assert.Equal("title n1", pending.Title);
        Assert.Equal("ok", Assert.Single(pending.Actions!).Id);
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_Twice_SecondIsAlreadyAcknowledgedAndNothingIsPending()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        AckStatus first = await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        AckStatus second = await store.AckAsync("n1", 1000, NotificationOutcomes.Clicked, null, s_now);

        Assert.Equal(AckStatus.Recorded, first);
        Assert.Equal(AckStatus.AlreadyAcknowledged, second);
        Assert.Empty(store.Pending(1000, s_now));
        Assert.Equal(NotificationOutcomes.Shown, store.OutcomeFor("n1", 1000));
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_ByAnotherUid_IsNotFoundAndLeavesItPending()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        AckStatus status = await store.AckAsync("n1", 2000, NotificationOutcomes.Shown, null, s_now);

        Assert.Equal(AckStatus.NotFound, status);
        Assert.Single(store.Pending(1000, s_now));
        Assert.Empty(store.Pending(2000, s_now));
    }

    [Fact(Timeout = 10000)]
    public async Task AllUsers_IsPendingPerUidUntilThatUidAcks()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", null));

        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);

        Assert.Empty(store.Pending(1000, s_now));
        Assert.Single(store.Pending(2000, s_now));
        Assert.Single(store.Pending(3000, s_now));
    }

    [Fact(Timeout = 10000)]
    public async Task Expired_IsNotPendingAndIsPurged()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));
        DateTimeOffset later = s_now + TimeSpan.FromHours(2);

        Assert.Empty(store.Pending(1000, later));
        Assert.Equal(AckStatus.NotFound, await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, later));
        Assert.Equal(1, await store.PurgeExpiredAsync(later));
        Assert.Empty(store.Pending(1000, s_now));
    }

    [Fact(Timeout = 30000)]
    public async Task ManyConcurrentAcks_AllCommitInGroups()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", null));

        AckStatus[] results = await Task.WhenAll(Enumerable.Range(1, 1000).Select(uid => store.AckAsync("n1", (uint)uid, NotificationOutcomes.Shown, null, s_now)));

        Assert.All(results, r => Assert.Equal(AckStatus.Recorded, r));
        Assert.Equal(NotificationOutcomes.Shown, store.OutcomeFor("n1", 999));
    }

    [Fact(Timeout = 10000)]
    public async Task DuplicateId_FailsOnlyThatWrite()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        Task duplicate = store.AddAsync(Notification("n1", 1000));
        Task other = store.AddAsync(Notification("n2", 1000));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => duplicate);
        await other;
        Assert.Equal(2, store.Pending(1000, s_now).Count);
    }

    [Fact]
    public void Open_SymbolicLink_IsRefused()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("elsewhere.db"), []);
        File.CreateSymbolicLink(directory.File("outbox.db"), directory.File("elsewhere.db"));

        Assert.Throws<UnauthorizedAccessException>(() => new NotificationStore(directory.File("outbox.db")));
    }

    private static StoredNotification Notification(string id, uint? uid) =>
        new(id, uid, "title " + id, "body", "https://example.com", [new NotificationAction { Id = "ok", Label = "OK" }], s_now, s_now + TimeSpan.FromHours(1));
}
