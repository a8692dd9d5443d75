using Launcher.Platform.Processes;

namespace Launcher.Platform.Facts;

/// <summary>Reads facts on macOS from ioreg, sysctl and sw_vers, each bounded by a timeout; a failed tool gives nulls.</summary>
internal static class MacMachineFactsReader
{
    private const string Ioreg = "/usr/sbin/ioreg";
    private const string Sysctl = "/usr/sbin/sysctl";
    private const string SwVers = "/usr/bin/sw_vers";
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(10);

    public static async Task<MachineFacts> ReadAsync(CancellationToken cancellationToken)
    {
        Task<string?> ioreg = RunAsync(Ioreg, ["-rd1", "-c", "IOPlatformExpertDevice"], cancellationToken);
        Task<string?> model = RunAsync(Sysctl, ["-n", "hw.model"], cancellationToken);
        Task<string?> swVers = RunAsync(SwVers, [], cancellationToken);
        await Task.WhenAll(ioreg, model, swVers).ConfigureAwait(false);

        string? ioregText = await ioreg.ConfigureAwait(false);
        string? modelText = await model.ConfigureAwait(false);
        string? swVersText = await swVers.ConfigureAwait(false);
        (string? serial, string? uuid) = ioregText is null ? (null, null) : IoregParser.ParsePlatformExpert(ioregText);
        (string? osName, string? osVersion) = swVersText is null ? (null, null) : SwVersParser.Parse(swVersText);
        return new MachineFacts(serial, uuid, FactValues.CleanText(modelText), osName, osVersion, MachineIdFile: null);
    }

    private static async Task<string?> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        ProcessResult result = await ProcessRunner.RunAsync(tool, arguments, s_toolTimeout, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput : null;
    }
}
