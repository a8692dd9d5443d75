namespace Launcher.Benchmarks.Startup;

/// <summary>One start: spawn to socket file, spawn to the first daemon/status answer, the daemon's CPU time by then, RSS, PSS and private dirty memory after an idle pause.</summary>
internal sealed record StartupSample(double SocketMs, double ReadyMs, double CpuMs, double IdleRssMb, double PeakRssMb, double IdlePssMb, double PrivateDirtyMb);
