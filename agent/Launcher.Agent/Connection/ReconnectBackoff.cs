namespace Launcher.Agent.Connection;

/// <summary>
/// Exponential backoff with full jitter (a uniformly random wait between zero and a ceiling that doubles per failed
/// attempt, up to a cap), so a thousand agents whose daemon restarts do not all reconnect in the same instant.
/// A connection that stayed up for <see cref="StableAfter"/> resets the schedule.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(Random random, TimeSpan? initial = null, TimeSpan? max = null, TimeSpan? stableAfter = null)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        Initial = initial ?? TimeSpan.FromMilliseconds(100);
        Max = max ?? TimeSpan.FromSeconds(30);
        StableAfter = stableAfter ?? TimeSpan.FromSeconds(30);
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public TimeSpan StableAfter { get; }

    /// <summary>Failed attempts since the last reset.</summary>
    public int Attempt => _attempt;

    /// <summary>The wait before the next attempt; advances the schedule.</summary>
    public TimeSpan NextDelay() => Delay(_attempt++, Initial, Max, _random);

    /// <summary>Called when a connection ends: one that lasted long enough starts the schedule over.</summary>
    public void ConnectionEnded(TimeSpan lasted)
    {
        if (lasted >= StableAfter)
        {
            _attempt = 0;
        }
    }

    public void Reset() => _attempt = 0;

    /// <summary>The ceiling for an attempt: <paramref name="initial"/> doubled <paramref name="attempt"/> times, capped at <paramref name="max"/>.</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        // 2^30 times any sane initial value is past any cap; stop doubling there instead of overflowing.
        double factor = Math.Pow(2, Math.Min(attempt, 30));
        double ticks = Math.Min(initial.Ticks * factor, max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Full jitter: uniform in [0, <see cref="Ceiling"/>].</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        TimeSpan ceiling = Ceiling(attempt, initial, max);
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling.Ticks));
    }
}
