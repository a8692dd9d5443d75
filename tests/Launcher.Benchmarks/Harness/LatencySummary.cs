using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Launcher.Benchmarks.Harness;

/// <summary>Round-trip times of one phase: mean, median, 99th percentile (µs).</summary>
internal sealed record LatencySummary(int Count, double MeanUs, double P50Us, double P99Us, double MinUs, double MaxUs)
{
    /// <summary>Summarizes samples in Stopwatch ticks, from one or several interleaved blocks.</summary>
    public static LatencySummary FromTicks(IEnumerable<long[]> blocks)
    {
        long[] elapsed = blocks.SelectMany(b => b).ToArray();
        int count = elapsed.Length;
        if (count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double[] us = new double[count];
        double toUs = 1_000_000.0 / Stopwatch.Frequency;
        for (int i = 0; i < count; i++)
        {
            us[i] = elapsed[i] * toUs;
        }

        Array.Sort(us);
        return new LatencySummary(count, us.Average(), Percentile(us, 0.50), Percentile(us, 0.99), us[0], us[^1]);
    }

    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["meanUs"] = Round(MeanUs),
        ["p50Us"] = Round(P50Us),
        ["p99Us"] = Round(P99Us),
        ["minUs"] = Round(MinUs),
        ["maxUs"] = Round(MaxUs),
    };

    public override string ToString() => $"mean {MeanUs:0.0} µs, p50 {P50Us:0.0}, p99 {P99Us:0.0} (n={Count})";

    public static double Round(double value) => Math.Round(value, 1);

    private static double Percentile(double[] sorted, double q)
    {
        // Nearest rank: the smallest sample with at least q of all samples at or below it.
        int rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
