using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Platform.Facts;

namespace Launcher.Daemon.Fleet;

/// <summary>The machine's facts in the fleet's shape, read fresh (bounded by the collector's own timeout).</summary>
internal static class FleetFactsReader
{
    public static async Task<FleetFacts> ReadAsync()
    {
        MachineFactsInfo facts = await Task.Run(MachineFactsProvider.Collect).ConfigureAwait(false);
        return new FleetFacts
        {
            Serial = Clip(facts.SerialNumber),
            HardwareUuid = Clip(facts.HardwareUuid),
            Model = Clip(facts.Model),
            OsName = Clip(facts.OsName),
            OsVersion = Clip(facts.OsVersion),
            Hostname = Clip(Environment.MachineName),
        };
    }

    private static string? Clip(string? value) => value is { Length: > FleetLimits.MaxFactLength } ? value[..FleetLimits.MaxFactLength] : value;
}
