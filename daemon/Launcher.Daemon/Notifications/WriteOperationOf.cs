using Microsoft.Data.Sqlite;

namespace Launcher.Daemon.Notifications;

/// <summary>A write whose result is <typeparamref name="T"/>.</summary>
internal sealed class WriteOperation<T> : WriteOperation
{
    private readonly Func<SqliteConnection, T> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private bool _failed;

    public WriteOperation(Func<SqliteConnection, T> work)
    {
        _work = work;
    }

    public Task<T> Task => _completion.Task;

    public override void Run(SqliteConnection connection)
    {
        _result = _work(connection);
    }

    public override void Fail(Exception exception)
    {
        _failed = true;
        _completion.TrySetException(exception);
    }

    public override void Publish()
    {
        if (!_failed)
        {
            _completion.TrySetResult(_result!);
        }
    }
}
