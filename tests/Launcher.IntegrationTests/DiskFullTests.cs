using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>A full disk under the state directory: its own error code, and the daemon keeps serving.</summary>
public sealed class DiskFullTests
{
    [RootMountFact(Timeout = 120000)]
    public async Task NotificationSend_OnAFullStateDisk_AnswersStorageFull_AndTheDaemonKeepsServing()
    {
        await using var sandbox = new Sandbox();
        await using var tmpfs = await SmallTmpfs.MountAsync(sandbox.StateDirectory, "4m");
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);
        SendNotificationParams notification = new() { Uid = 1001, Title = "Disk", Body = new string('x', 3000) };
        await admin.InvokeAsync(Methods.NotificationSend, notification);

        string filler = Path.Combine(sandbox.StateDirectory, "filler");
        SmallTmpfs.Fill(filler);
        RpcException full = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            // SQLite may still fit a little in pages it already has: a few sends make the WAL grow for sure.
            for (int i = 0; i < 20; i++)
            {
                await admin.InvokeAsync(Methods.NotificationSend, notification);
            }
        });

        Assert.Equal(ErrorCodes.StorageFull, full.Code);
        Assert.Contains("disk is full", full.Message, StringComparison.Ordinal);
        Assert.Equal(IdentityStates.Ready, (await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance)).State);
        Assert.NotNull(await sandbox.StatusAsync());

        File.Delete(filler);
        SendNotificationResult after = await admin.InvokeAsync(Methods.NotificationSend, notification);
        Assert.StartsWith("n_", after.Id, StringComparison.Ordinal);
        Assert.False(daemon.HasExited);
    }
}
