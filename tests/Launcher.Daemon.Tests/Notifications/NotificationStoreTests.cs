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
    public async Task Ack_SameOutcomeTwice_SecondIsAlreadyAcknowledgedAndNothingIsPending()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        AckRecordResult first = await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        AckRecordResult second = await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);

        Assert.Equal(new AckRecordResult(AckStatus.Recorded, null), first);
        Assert.Equal(new AckRecordResult(AckStatus.AlreadyAcknowledged, NotificationOutcomes.Shown), second);
        Assert.Empty(store.Pending(1000, s_now));
        Assert.Equal(NotificationOutcomes.Shown, store.OutcomeFor("n1", 1000));
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_ShownThenClickedOnAnAction_ClickReplacesShownWithTheActionId()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        AckRecordResult clicked = await store.AckAsync("n1", 1000, NotificationOutcomes.Clicked, "ok", s_now);
        AckRecordResult lateShown = await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now);
        AckRecordResult lateDismissed = await store.AckAsync("n1", 1000, NotificationOutcomes.Dismissed, null, s_now);

        Assert.Equal(new AckRecordResult(AckStatus.Updated, NotificationOutcomes.Shown), clicked);
        Assert.Equal(AckStatus.AlreadyAcknowledged, lateShown.Status);
        Assert.Equal(AckStatus.AlreadyAcknowledged, lateDismissed.Status);
        Assert.Equal(NotificationOutcomes.Clicked, store.OutcomeFor("n1", 1000));
        Assert.Equal("ok", store.ActionFor("n1", 1000));
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_SubmittedThenShownThenExpired_EachLaterStageReplacesTheEarlier()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        await store.AckAsync("n1", 1000, NotificationOutcomes.Submitted, null, s_now);
        Assert.Equal(NotificationOutcomes.Submitted, store.OutcomeFor("n1", 1000));
        Assert.Equal(AckStatus.Updated, (await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, s_now)).Status);
        Assert.Equal(AckStatus.Updated, (await store.AckAsync("n1", 1000, NotificationOutcomes.Expired, null, s_now)).Status);

        Assert.Equal(NotificationOutcomes.Expired, store.OutcomeFor("n1", 1000));
        Assert.Empty(store.Pending(1000, s_now));
    }

    [Fact(Timeout = 10000)]
    public async Task Ack_ByAnotherUid_IsNotFoundAndLeavesItPending()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", 1000));

        AckRecordResult result = await store.AckAsync("n1", 2000, NotificationOutcomes.Shown, null, s_now);

        Assert.Equal(AckStatus.NotFound, result.Status);
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
        Assert.Equal(AckStatus.NotFound, (await store.AckAsync("n1", 1000, NotificationOutcomes.Shown, null, later)).Status);
        Assert.Equal(1, await store.PurgeExpiredAsync(later));
        Assert.Empty(store.Pending(1000, s_now));
    }

    [Fact(Timeout = 30000)]
    public async Task ManyConcurrentAcks_AllCommitInGroups()
    {
        using var directory = new TempDirectory();
        await using var store = new NotificationStore(directory.File("outbox.db"));
        await store.AddAsync(Notification("n1", null));

        AckRecordResult[] results = await Task.WhenAll(Enumerable.Range(1, 1000).Select(uid => store.AckAsync("n1", (uint)uid, NotificationOutcomes.Shown, null, s_now)));

        Assert.All(results, r => Assert.Equal(AckStatus.Recorded, r.Status));
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
