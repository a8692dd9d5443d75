namespace Launcher.IntegrationTests;

/// <summary>
/// The NativeAOT daemon generates no code at run time, so the installer gives it <c>MemoryDenyWriteExecute=yes</c>
/// (a drop-in written only for a NativeAOT publish, docs/installer.md). The same protection is set here with
/// prctl(PR_SET_MDWE) before exec, which is what the unit setting does on a recent systemd and kernel.
/// </summary>
public sealed class MemoryDenyWriteExecuteTests
{
    private static readonly string[] s_mdwe = [Requirements.SystemPython, Path.Combine(AppContext.BaseDirectory, "Helpers", "mdwe_exec.py")];

    [RootFact(Timeout = 120000)]
    public async Task JitBuild_CannotRunUnderIt_SoTheFrameworkDependentInstallLeavesItOff()
    {
        await using var sandbox = new Sandbox();

        ChildProcess daemon = sandbox.StartDaemonWrapped(s_mdwe, Repo.JitDaemon, "--key-store", "software");
        int exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit != 3, "the kernel does not offer PR_SET_MDWE:\n" + daemon.Output);
        Assert.NotEqual(0, exit);
        Assert.False(File.Exists(sandbox.SocketPath), "the JIT daemon got as far as listening:\n" + daemon.Output);
    }

    [RootFact(Timeout = 120000)]
    public async Task ShippedDaemon_UnderIt_ServesProofsAndTheOutbox_WhenTheNativeAotExecutablesAreTested()
    {
        // The JIT pass cannot run this daemon under the protection (the test above); scripts/test.sh's NativeAOT
        // pass can, and there the whole local API must work under it.
        if (Repo.AotDirectory is null)
        {
            Assert.Equal("launcherd.dll", Path.GetFileName(Repo.Daemon));
            return;
        }

        await using var sandbox = new Sandbox();
        ChildProcess daemon = sandbox.StartDaemonWrapped(s_mdwe, Repo.Daemon, "--key-store", "software");
        await sandbox.WaitReadyAsync(daemon);

        (int proveExit, string proof) = await sandbox.CtlAsync(null, "identity", "prove", "--audience", "https://relying.example", "--nonce", "mdwe-nonce-1234");
        Assert.True(proveExit == 0, proof);
        Assert.Equal(3, proof.Trim().Split('\n').Last().Trim().Split('.').Length);

        (int notifyExit, string queued) = await sandbox.CtlAsync(null, "notify", "--uid", "1001", "--title", "Queued", "--body", "under MDWE");
        Assert.True(notifyExit == 0, queued);
        Assert.Equal(1, (await sandbox.StatusAsync()).PendingNotifications);

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("SIGSEGV", daemon.Output, StringComparison.Ordinal);
    }
}
