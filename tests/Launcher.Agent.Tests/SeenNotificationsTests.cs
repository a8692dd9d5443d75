using Launcher.Agent.Notifications;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

public sealed class SeenNotificationsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryBegin_SameIdTwice_SecondReturnsExistingRecord()
    {
        SeenNotifications seen = SeenNotifications.InMemory();

        Assert.True(seen.TryBegin("n_1", out _));
        Assert.False(seen.TryBegin("n_1", out SeenRecord? existing));

        Assert.True(existing!.InProgress);
    }

    [Fact]
    public void Load_AfterRestart_RemembersCompletedOutcome()
    {
        string path = _dir.File(SeenNotifications.FileName);
        SeenNotifications first = SeenNotifications.Load(path, 100, TimeProvider.System, out _);
        first.TryBegin("n_1", out _);
        first.Complete("n_1", NotificationOutcomes.Shown, null);

        SeenNotifications second = SeenNotifications.Load(path, 100, TimeProvider.System, out string? problem);

        Assert.Null(problem);
        Assert.False(second.TryBegin("n_1", out SeenRecord? existing));
        Assert.Equal(NotificationOutcomes.Shown, existing!.Outcome);
    }

    [Fact]
    public void Load_RecordStillInProgress_BecomesFailedAndIsNotShownAgain()
    {
        // A kill -9 while the presenter ran: at most once wins over showing it twice.
        string path = _dir.File(SeenNotifications.FileName);
        SeenNotifications first = SeenNotifications.Load(path, 100, TimeProvider.System, out _);
        first.TryBegin("n_crash", out _);

        SeenNotifications second = SeenNotifications.Load(path, 100, TimeProvider.System, out _);

        Assert.False(second.TryBegin("n_crash", out SeenRecord? existing));
        Assert.Equal(NotificationOutcomes.Failed, existing!.Outcome);
        Assert.Equal(SeenNotifications.InterruptedDetail, existing.Detail);
    }

    [Fact]
    public void Complete_BeyondCapacity_ForgetsLeastRecentlyUsedAndFileStaysBounded()
    {
        string path = _dir.File(SeenNotifications.FileName);
        SeenNotifications seen = SeenNotifications.Load(path, 3, TimeProvider.System, out _);
        foreach (string id in new[] { "a", "b", "c" })
        {
            seen.TryBegin(id, out _);
            seen.Complete(id, NotificationOutcomes.Shown, null);
        }

        Assert.NotNull(seen.Find("a")); // "a" is now the most recently used; "b" is the oldest.
        seen.TryBegin("d", out _);
        seen.Complete("d", NotificationOutcomes.Shown, null);

        SeenNotifications reloaded = SeenNotifications.Load(path, 3, TimeProvider.System, out _);
        Assert.Equal(3, reloaded.Count);
        Assert.Null(reloaded.Find("b"));
        Assert.NotNull(reloaded.Find("a"));
        Assert.NotNull(reloaded.Find("d"));
    }

    [Fact]
    public void TryBegin_TenThousandAndOneIds_KeepsTheDefaultCapacity()
    {
        SeenNotifications seen = SeenNotifications.InMemory();
        for (int i = 0; i <= SeenNotifications.DefaultCapacity; i++)
        {
            string id = "n_" + i;
            seen.TryBegin(id, out _);
            seen.Complete(id, NotificationOutcomes.Shown, null);
        }

        Assert.Equal(SeenNotifications.DefaultCapacity, seen.Count);
        Assert.Null(seen.Find("n_0"));
    }

    [Fact]
    public void Complete_NeverEvictsRecordsInProgress()
    {
        SeenNotifications seen = SeenNotifications.InMemory(capacity: 2);
        seen.TryBegin("busy", out _);
        seen.TryBegin("x", out _);
        seen.Complete("x", NotificationOutcomes.Shown, null);
        seen.TryBegin("y", out _);
        seen.Complete("y", NotificationOutcomes.Shown, null);

        Assert.NotNull(seen.Find("busy"));
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void Load_CorruptFile_StartsEmptyAndMovesItAside()
    {
        string path = _dir.File(SeenNotifications.FileName);
        File.WriteAllText(path, "{ not json");

        SeenNotifications seen = SeenNotifications.Load(path, 100, TimeProvider.System, out string? problem);

        Assert.NotNull(problem);
        Assert.Equal(0, seen.Count);
        Assert.True(File.Exists(path + ".corrupt"));
    }

    [Fact]
    public void Save_File_IsOwnerReadWriteOnly()
    {
        string path = _dir.File(SeenNotifications.FileName);
        SeenNotifications seen = SeenNotifications.Load(path, 100, TimeProvider.System, out _);

        seen.TryBegin("n_1", out _);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Load_FileIsSymbolicLink_IsRefused()
    {
        string target = _dir.File("elsewhere.json");
        File.WriteAllText(target, """{"version":1,"entries":[]}""");
        string path = _dir.File(SeenNotifications.FileName);
        File.CreateSymbolicLink(path, target);

        SeenNotifications.Load(path, 100, TimeProvider.System, out string? problem);

        Assert.Contains("symbolic link", problem);
    }

    [Fact]
    public void Complete_AFinalOutcome_IsNeverReplacedByAnInterimOne_AndSurvivesAReload()
    {
        string path = _dir.File(SeenNotifications.FileName);
        SeenNotifications seen = SeenNotifications.Load(path, 10, TimeProvider.System, out _);
        seen.TryBegin("n_1", out _);

        seen.Complete("n_1", NotificationOutcomes.Shown, null);
        SeenRecord clicked = seen.Complete("n_1", NotificationOutcomes.Clicked, "the user chose an action", "approve");
        SeenRecord late = seen.Complete("n_1", NotificationOutcomes.Shown, null);
        SeenRecord reloaded = SeenNotifications.Load(path, 10, TimeProvider.System, out string? problem).Find("n_1")!;

        Assert.Equal(clicked, late);
        Assert.Null(problem);
        Assert.Equal(NotificationOutcomes.Clicked, reloaded.Outcome);
        Assert.Equal("approve", reloaded.ActionId);
    }
}
