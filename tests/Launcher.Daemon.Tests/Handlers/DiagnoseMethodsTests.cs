using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Handlers;

public sealed class DiagnoseMethodsTests
{
    [Fact(Timeout = 20000)]
    public async Task Diagnose_SoftwareDaemon_ReportsPathsKeyStoreAndDisk_NoTpm()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        DiagnoseResult result = await admin.InvokeAsync(Methods.DaemonDiagnose, EmptyParams.Instance);

        Assert.Equal(daemon.Options.SocketPath, result.SocketPath);
        Assert.Equal(daemon.Options.StateDirectory, result.StateDirectory);
        Assert.Equal("software", result.KeyStore.KeyClass);
        Assert.True(result.KeyStore.Available);
        Assert.Null(result.Tpm);
        Assert.Equal(daemon.Options.StateDirectory, result.Disk.Path);
        Assert.InRange(result.Disk.AvailableBytes, 1, result.Disk.TotalBytes);
    }
}
