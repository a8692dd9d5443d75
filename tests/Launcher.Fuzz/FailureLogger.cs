using Microsoft.Extensions.Logging;

namespace Launcher.Fuzz;

/// <summary>
/// Records what the engine logs that means "something failed inside": an error, a handler failing with an
/// exception that is not an <c>RpcException</c> (event 4), a throwing cancellation callback (10), a transport that
/// failed unexpectedly (11). Bad input must only ever produce answers and warnings about the input.
/// </summary>
internal sealed class FailureLogger : ILogger
{
    private static readonly int[] s_failureEvents = [4, 10, 11];
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error || s_failureEvents.Contains(eventId.Id))
        {
            lock (_failures)
            {
                _failures.Add($"{logLevel} {eventId.Id}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
