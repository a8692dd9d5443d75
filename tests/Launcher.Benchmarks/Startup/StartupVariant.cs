namespace Launcher.Benchmarks.Startup;

/// <summary>One daemon build run with one set of runtime knobs (environment variables).</summary>
internal sealed record StartupVariant(string Name, string LauncherdPath, IReadOnlyDictionary<string, string> Environment);
