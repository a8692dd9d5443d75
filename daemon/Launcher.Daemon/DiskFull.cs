using Launcher.Contracts;
using Launcher.Rpc;
using Microsoft.Data.Sqlite;

namespace Launcher.Daemon;

/// <summary>
/// Recognises a full disk under the daemon's state (SQLite's SQLITE_FULL from the outbox, ENOSPC from a file
/// write) and turns it into its own error code, so an admin learns what to fix instead of an internal error.
/// </summary>
internal static class DiskFull
{
    // <sqlite3.h> SQLITE_FULL; ENOSPC has the same number on Linux and macOS.
    private const int SqliteFull = 13;
    private const int ENoSpc = 28;

    public static bool Is(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
        IOException io => io.HResult == ENoSpc || (io.InnerException is not null && Is(io.InnerException)),
        _ => false,
    };

    /// <summary>The answer to the caller: <paramref name="consequence"/> says what was not done.</summary>
    public static RpcException Error(string consequence) =>
        new(ErrorCodes.StorageFull, $"The daemon's disk is full: {consequence}. Free space where the daemon keeps its state, then retry.");
}
