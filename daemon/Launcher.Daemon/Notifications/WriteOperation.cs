using Microsoft.Data.Sqlite;

namespace Launcher.Daemon.Notifications;

/// <summary>One write of the outbox's group commit: runs inside the group's transaction, published after commit.</summary>
internal abstract class WriteOperation
{
    public abstract void Run(SqliteConnection connection);

    public abstract void Fail(Exception exception);

    /// <summary>Completes the caller's task with the result computed in <see cref="Run"/> (after the commit).</summary>
    public abstract void Publish();
}
