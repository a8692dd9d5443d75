namespace Launcher.Platform.Facts;

/// <summary>The one place that picks how this platform's machine facts are read.</summary>
internal static class MachineFactsCollector
{
    public static Task<MachineFacts> CollectAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsMacOS())
        {
            return MacMachineFactsReader.ReadAsync(cancellationToken);
        }

        if (OperatingSystem.IsLinux())
        {
            return Task.FromResult(new LinuxMachineFactsReader().Read());
        }

        throw new PlatformNotSupportedException("Machine facts are read on Linux and macOS only.");
    }
}
