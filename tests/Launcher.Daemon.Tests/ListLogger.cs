using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Tests;

/// <summary>A logger that keeps every entry (level, event id, formatted message) for a test to look at.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }
}
