using Launcher.Contracts;
using Launcher.Rpc;
using Microsoft.Data.Sqlite;

namespace Launcher.Daemon.Tests;

/// <summary>Which failures count as a full disk (the integration test fills a real tmpfs).</summary>
public sealed class DiskFullTests
{
    [Fact]
    public void SqliteFull_And_Enospc_AreDiskFull_OtherFailuresAreNot()
    {
        Assert.True(DiskFull.Is(new SqliteException("database or disk is full", 13)));
        Assert.True(DiskFull.Is(new IOException("No space left on device", 28)));
        Assert.False(DiskFull.Is(new SqliteException("database is locked", 5)));
        Assert.False(DiskFull.Is(new IOException("Permission denied", 13)));
        Assert.False(DiskFull.Is(new InvalidOperationException("no")));
    }

    [Fact]
    public void Error_HasItsOwnCode_AndSaysWhatWasNotStored()
    {
        RpcException error = DiskFull.Error("the notification was not stored");

        Assert.Equal(ErrorCodes.StorageFull, error.Code);
        Assert.Equal(1007, error.Code);
        Assert.Contains("the notification was not stored", error.Message, StringComparison.Ordinal);
    }
}
