using Launcher.Contracts.Identity;

namespace Launcher.Platform.Facts;

/// <summary>Collects the machine's facts once at start, in the wire form of <c>identity/get</c>.</summary>
internal static class MachineFactsProvider
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(10);

    public static MachineFactsInfo Collect()
    {
        using var timeout = new CancellationTokenSource(s_bound);
        MachineFacts facts = MachineFactsCollector.CollectAsync(timeout.Token).GetAwaiter().GetResult();
        return new MachineFactsInfo
        {
            SerialNumber = facts.SerialNumber,
            HardwareUuid = facts.HardwareUuid,
            Model = facts.Model,
            OsName = facts.OsName,
            OsVersion = facts.OsVersion,
            OsInstallationId = facts.MachineIdFile,
        };
    }
}
