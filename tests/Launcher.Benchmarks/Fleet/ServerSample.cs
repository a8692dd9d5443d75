namespace Launcher.Benchmarks.Fleet;

/// <summary>The server child's CPU time and threads, and this harness's CPU time, at one moment.</summary>
internal readonly record struct ServerSample(TimeSpan At, TimeSpan Cpu, int Threads, TimeSpan HarnessCpu);
