namespace Launcher.Daemon.Fleet;

/// <summary>
/// When to try the fleet server again: a random first delay (so a fleet whose machines boot together, or a daemon
/// restart across many machines, does not connect in one instant), then exponential backoff with full jitter
/// (uniform in [0, ceiling], the ceiling doubling per failure up to a cap). A server's "retry after N s" is a
/// floor: the wait is N plus a jittered share of the current ceiling, so the machines it turned away spread out
/// after N instead of all coming back at N.
/// </summary>
internal sealed class FleetBackoff
{
    private readonly Random _random;
    private int _attempt;

    public FleetBackoff(Random random, TimeSpan initial, TimeSpan max, TimeSpan firstDelayMax)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfNegative(firstDelayMax.Ticks);
        _random = random;
        Initial = initial;
        Max = max;
        FirstDelayMax = firstDelayMax;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public TimeSpan FirstDelayMax { get; }

    /// <summary>Failed attempts since the last success.</summary>
    public int Attempt => _attempt;

    /// <summary>The random delay before the very first connection: uniform in [0, <see cref="FirstDelayMax"/>].</summary>
    public TimeSpan FirstDelay() => Jitter(FirstDelayMax);

    /// <summary>The wait after a failure; <paramref name="retryAfter"/> is the server's floor, if it gave one.</summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter = null)
    {
        TimeSpan jittered = Jitter(Ceiling(_attempt, Initial, Max));
        _attempt = Math.Min(_attempt + 1, 62);
        if (retryAfter is TimeSpan floor && floor > TimeSpan.Zero)
        {
            // Bounded: a server cannot park a machine for more than a day with one answer.
            TimeSpan capped = floor > MaxRetryAfter ? MaxRetryAfter : floor;
            return capped + jittered;
        }

        return jittered;
    }

    /// <summary>An authenticated connection starts the schedule over.</summary>
    public void Reset() => _attempt = 0;

    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromDays(1);

    /// <summary><paramref name="initial"/> doubled <paramref name="attempt"/> times, capped at <paramref name="max"/>.</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        double ticks = Math.Min(initial.Ticks * Math.Pow(2, Math.Min(attempt, 40)), max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private TimeSpan Jitter(TimeSpan ceiling) => TimeSpan.FromTicks((long)(_random.NextDouble() * ceiling.Ticks));
}
