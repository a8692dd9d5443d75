using System.Diagnostics;

namespace Launcher.Benchmarks.Harness;

/// <summary>The two measuring loops every phase uses: sequential round trips, and N callers in parallel.</summary>
internal static class Measure
{
    /// <summary>Calls one at a time for <paramref name="duration"/>, untimed: lets tiered JIT reach its final code.</summary>
    public static async Task WarmUpAsync(Func<Task> call, TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            await call().ConfigureAwait(false);
        }
    }

    /// <summary>One call at a time: up to <paramref name="count"/> timed, within <paramref name="maxTime"/> (Stopwatch ticks).</summary>
    public static async Task<long[]> RoundTripsAsync(Func<Task> call, int count, TimeSpan maxTime)
    {
        long[] samples = new long[count];
        long deadline = Stopwatch.GetTimestamp() + (long)(maxTime.TotalSeconds * Stopwatch.Frequency);
        int done = 0;
        while (done < count)
        {
            long start = Stopwatch.GetTimestamp();
            await call().ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();
            samples[done++] = end - start;
            if (end > deadline)
            {
                break;
            }
        }

        return samples[..done];
    }

    /// <summary>
    /// <paramref name="callers"/> loops, each awaiting one call at a time, for <paramref name="duration"/> after a
    /// warm-up: calls completed per second. The warm-up lasts until two consecutive half-second rates agree within
    /// 10 % (tiered JIT has settled) or <paramref name="maxWarmup"/> has passed.
    /// </summary>
    /// <param name="minWarmup">Warm up at least this long (a freshly started daemon is still compiling).</param>
    /// <param name="window">Called at the start and the end of the measured window (to sample CPU counters).</param>
    public static async Task<Throughput> ThroughputAsync(Func<int, Task> call, int callers, TimeSpan maxWarmup, TimeSpan duration, TimeSpan minWarmup = default, Action<bool>? window = null)
    {
        long completed = 0;
        bool stop = false;
        async Task LoopAsync(int caller)
        {
            while (!Volatile.Read(ref stop))
            {
                await call(caller).ConfigureAwait(false);
                Interlocked.Increment(ref completed);
            }
        }

        Task[] loops = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            int caller = i;
            loops[i] = Task.Run(() => LoopAsync(caller));
        }

        if (minWarmup > TimeSpan.Zero)
        {
            await Task.Delay(minWarmup).ConfigureAwait(false);
        }

        long warmupEnd = Stopwatch.GetTimestamp() + (long)(maxWarmup.TotalSeconds * Stopwatch.Frequency);
        double previous = 0;
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            long before = Interlocked.Read(ref completed);
            long at = Stopwatch.GetTimestamp();
            await Task.Delay(500).ConfigureAwait(false);
            double rate = (Interlocked.Read(ref completed) - before) / Stopwatch.GetElapsedTime(at).TotalSeconds;
            if (previous > 0 && Math.Abs(rate - previous) <= 0.1 * previous)
            {
                break;
            }

            previous = rate;
        }

        window?.Invoke(true);
        long startCount = Interlocked.Read(ref completed);
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(duration).ConfigureAwait(false);
        long done = Interlocked.Read(ref completed) - startCount;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        window?.Invoke(false);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(loops).ConfigureAwait(false);
        return new Throughput(done, elapsed.TotalSeconds, done / elapsed.TotalSeconds);
    }
}
