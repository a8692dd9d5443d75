namespace Launcher.Benchmarks.Harness;

/// <summary>Operations completed in a timed window.</summary>
internal sealed record Throughput(long Operations, double Seconds, double PerSecond);
