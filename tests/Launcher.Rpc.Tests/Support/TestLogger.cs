using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Launcher.Rpc.Tests.Support;

/// <summary>Collects log entries so tests can assert what the engine logged (and what it kept off the wire).</summary>
internal sealed class TestLogger : ILogger
{
    private readonly SemaphoreSlim _added = new(0);

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
        _added.Release();
    }

    /// <summary>Waits until an entry matching <paramref name="match"/> was logged.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            LogEntry? found = Entries.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            TimeSpan left = giveUp - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("The expected log entry never came.");
            }

            await _added.WaitAsync(left);
        }
    }
}

internal sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
