using System.Diagnostics;

namespace Launcher.Benchmarks.Harness;

/// <summary>Synchronous CPU work on dedicated threads (not the thread pool, whose growth would skew a short window).</summary>
internal static class CpuThroughput
{
    public static Throughput Run(Action work, int threads, TimeSpan warmup, TimeSpan duration)
    {
        long completed = 0;
        bool stop = false;
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            workers[i] = new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    work();
                    Interlocked.Increment(ref completed);
                }
            })
            { IsBackground = true, Name = "bench worker " + i };
            workers[i].Start();
        }

        Thread.Sleep(warmup);
        long startCount = Interlocked.Read(ref completed);
        long start = Stopwatch.GetTimestamp();
        Thread.Sleep(duration);
        long done = Interlocked.Read(ref completed) - startCount;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        Volatile.Write(ref stop, true);
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return new Throughput(done, elapsed.TotalSeconds, done / elapsed.TotalSeconds);
    }
}
