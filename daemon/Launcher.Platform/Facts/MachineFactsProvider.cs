using Launcher.Contracts.Identity;

namespace Launcher.Platform.Facts;

/// <summary>Collects the machine's facts once at start (the platform collectors are wired in here).</summary>
internal static class MachineFactsProvider
{
    public static MachineFactsInfo Collect() => new();
}
