using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Rpc;

namespace Launcher.IntegrationTests;

/// <summary>
/// Damage to the outbox as disks and admins do it, against the real root daemon: each time the daemon starts,
/// identity and proofs work, daemon/status reports exactly how many committed notifications vanished, a broken
/// database is kept aside for forensics, and new notifications and agents work.
/// </summary>
public sealed class OutboxDamageTests
{
    private const int Sent = 12;

    [RootFact(Timeout = 120000)]
    public async Task WalDeletedAfterCommits_IsReportedAsLoss()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await SendAsync(sandbox, Sent);

        // kill -9 leaves the commits in the WAL; deleting it loses them.
        daemon.KillHard();
        Assert.True(File.Exists(Outbox(sandbox) + "-wal"));
        File.Delete(Outbox(sandbox) + "-wal");
        File.Delete(Outbox(sandbox) + "-shm");

        await AssertRecoveredAsync(sandbox, movedAside: false);
    }

    [RootFact(Timeout = 120000)]
    public async Task TruncatedDatabase_IsMovedAsideAndReported()
    {
        await using var sandbox = new Sandbox();
        await StartSendAndStopCleanlyAsync(sandbox);
        string path = Outbox(sandbox);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(file.Length / 3);
        }

        await AssertRecoveredAsync(sandbox, movedAside: true);
    }

    [RootFact(Timeout = 120000)]
    public async Task GarbageOverTheDatabase_IsMovedAsideAndReported()
    {
        await using var sandbox = new Sandbox();
        await StartSendAndStopCleanlyAsync(sandbox);
        string path = Outbox(sandbox);
        byte[] garbage = new byte[new FileInfo(path).Length];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        await AssertRecoveredAsync(sandbox, movedAside: true);
    }

    [RootFact(Timeout = 120000)]
    public async Task CorruptPagesMidFile_AreMovedAsideAndReported()
    {
        await using var sandbox = new Sandbox();
        await StartSendAndStopCleanlyAsync(sandbox);
        string path = Outbox(sandbox);
        long length = new FileInfo(path).Length;
        Assert.True(length >= 8 * 4096, $"the outbox has only {length} bytes");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            // Pages 3 and 4 (SQLite's default page size is 4096): b-tree pages of the tables, not the header.
            byte[] garbage = new byte[2 * 4096];
            new Random(11).NextBytes(garbage);
            file.Position = 2 * 4096;
            file.Write(garbage);
        }

        await AssertRecoveredAsync(sandbox, movedAside: true);
    }

    [RootFact(Timeout = 120000)]
    public async Task UndamagedOutbox_AfterKill9_ReportsOk()
    {
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await SendAsync(sandbox, Sent);
        daemon.KillHard();

        await sandbox.StartDaemonReadyAsync("--key-store", "software");
        StatusResult status = await sandbox.StatusAsync();

        Assert.Equal(OutboxStates.Ok, status.Outbox!.State);
        Assert.Equal(0, status.Outbox.LostNotifications);
        Assert.Equal(Sent, status.PendingNotifications);
    }

    private static string Outbox(Sandbox sandbox) => Path.Combine(sandbox.StateDirectory, "outbox.db");

    private static async Task StartSendAndStopCleanlyAsync(Sandbox sandbox)
    {
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");

        // Long bodies, so the database spans many pages.
        await SendAsync(sandbox, Sent, body: new string('b', 3000));
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(Outbox(sandbox) + "-wal") && new FileInfo(Outbox(sandbox) + "-wal").Length > 0, "a clean stop checkpoints the WAL");
    }

    private static async Task SendAsync(Sandbox sandbox, int count, string body = "b")
    {
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);
        for (int i = 0; i < count; i++)
        {
            await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 4242, Title = $"before damage {i}", Body = body });
        }
    }

    private static async Task AssertRecoveredAsync(Sandbox sandbox, bool movedAside)
    {
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        await using JsonRpcConnection admin = await TestClient.ConnectAsync(sandbox.SocketPath);

        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "after-damage-1" });
        StatusResult status = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 4242, Title = "after damage", Body = "b" });
        await using JsonRpcConnection agent = await TestClient.ConnectAsync(sandbox.SocketPath);
        RegisterResult registered = await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
        StatusResult after = await admin.InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance);

        Assert.Equal(KeyClasses.Software, proof.KeyClass);
        Assert.Equal("ready", status.IdentityState);
        OutboxHealth health = status.Outbox!;
        Assert.Equal(OutboxStates.RecoveredWithLoss, health.State);
        Assert.Equal(Sent, health.LostNotifications);
        Assert.NotNull(health.DetectedAt);
        Assert.Contains(status.Warnings, w => w.Contains("outbox", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("n_", sent.Id, StringComparison.Ordinal);
        Assert.Equal(0u, registered.Uid);
        Assert.Equal(1, after.PendingNotifications);
        Assert.Contains("OUTBOX", daemon.Output, StringComparison.Ordinal);
        string[] asides = Directory.GetFiles(sandbox.StateDirectory, "outbox.db.broken-*");
        if (movedAside)
        {
            Assert.NotNull(health.MovedAsideTo);
            Assert.Contains(health.MovedAsideTo, asides);
        }
        else
        {
            Assert.Null(health.MovedAsideTo);
        }
    }
}
