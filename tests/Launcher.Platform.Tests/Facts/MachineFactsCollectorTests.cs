using Launcher.Platform.Facts;
using Launcher.Platform.Tests.MacOS;

namespace Launcher.Platform.Tests.Facts;

public sealed class MachineFactsCollectorTests
{
    [LinuxFact]
    public async Task OnThisLinux_OsNameMatchesOsRelease()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string osRelease = File.Exists("/etc/os-release") ? await File.ReadAllTextAsync("/etc/os-release", timeout.Token) : string.Empty;

        MachineFacts facts = await MachineFactsCollector.CollectAsync(timeout.Token);

        Assert.Equal(OsReleaseParser.NameAndVersion(osRelease).Name, facts.OsName);
    }
}
