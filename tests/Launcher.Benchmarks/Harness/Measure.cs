using System.Diagnostics;

namespace Launcher.Benchmarks.Harness;

/// <summary>The two measuring loops every phase uses: sequential round trips, and N callers in parallel.</summary>
internal static class Measure
{
    /// <summary>One call at a time: <paramref name="warmup"/> untimed, then up to <paramref name="count"/> timed (Stopwatch ticks).</summary>
    public static async Task<long[]> RoundTripsAsync(Func<Task> call, int warmup, int count, TimeSpan maxTime)
    {
        for (int i = 0; i < warmup; i++)
        {
            await call().ConfigureAwait(false);
        }

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
    /// warm-up of <paramref name="warmup"/>: calls completed per second.
    /// </summary>
    public static async Task<Throughput> ThroughputAsync(Func<int, Task> call, int callers, TimeSpan warmup, TimeSpan duration)
    {
        long completed = 0;
        bool counting = false;
        bool stop = false;
        async Task LoopAsync(int caller)
        {
            while (!Volatile.Read(ref stop))
            {
                await call(caller).ConfigureAwait(false);
                if (Volatile.Read(ref counting))
                {
                    Interlocked.Increment(ref completed);
                }
            }
        }

        Task[] loops = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            int caller = i;
            loops[i] = Task.Run(() => LoopAsync(caller));
        }

        await Task.Delay(warmup).ConfigureAwait(false);
        long startCount = Interlocked.Read(ref completed);
        Volatile.Write(ref counting, true);
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(duration).ConfigureAwait(false);
        long done = Interlocked.Read(ref completed) - startCount;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(loops).ConfigureAwait(false);
        return new Throughput(done, elapsed.TotalSeconds, done / elapsed.TotalSeconds);
    }
}
