using System.Security.Cryptography;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Identity;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>Never a silent new identity: what happens to the key and marker across restarts and damage.</summary>
public sealed class IdentityLifecycleTests
{
    [Fact(Timeout = 20000)]
    public async Task FirstStart_CreatesKey_AndRestartLoadsTheSameIdentity()
    {
        using var directory = new TempDirectory();
        string first;
        await using (var daemon = new DaemonHarness(directory))
        {
            IdentityResult created = daemon.Identity.Get();
            Assert.Equal(IdentityStates.Ready, created.State);
            Assert.Equal(KeyClasses.Software, created.KeyClass);
            first = created.Thumbprint!;
        }

        await using var restarted = new DaemonHarness(directory);

        Assert.Equal(first, restarted.Identity.Get().Thumbprint);
    }

    [Theory(Timeout = 20000)]
    [InlineData("corrupt")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task DamagedKey_IsLost_AndNoNewKeyIsWritten(string damage)
    {
        using var directory = new TempDirectory();
        await using (new DaemonHarness(directory))
        {
        }

        string keyPath = directory.File(KeyStoreFactory.SoftwareKeyFile);
        byte[] original = File.ReadAllBytes(keyPath);
        byte[] damaged = damage switch
        {
            "corrupt" => original.Select((b, i) => i == original.Length / 2 ? (byte)(b ^ 0xFF) : b).ToArray(),
            "truncated" => original[..(original.Length / 2)],
            _ => [],
        };
        File.WriteAllBytes(keyPath, damaged);

        await using var daemon = new DaemonHarness(directory);
        IdentityResult identity = daemon.Identity.Get();

        Assert.Equal(IdentityStates.Lost, identity.State);
        Assert.Null(identity.Thumbprint);
        Assert.Contains("reset", identity.StateReason, StringComparison.Ordinal);
        Assert.Equal(damaged, File.ReadAllBytes(keyPath));
    }

    [Fact(Timeout = 20000)]
    public async Task ForeignKey_IsLost()
    {
        using var directory = new TempDirectory();
        await using (new DaemonHarness(directory))
        {
        }

        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllBytes(directory.File(KeyStoreFactory.SoftwareKeyFile), other.ExportPkcs8PrivateKey());

        await using var daemon = new DaemonHarness(directory);

        Assert.Equal(IdentityStates.Lost, daemon.Identity.Get().State);
    }

    [Fact(Timeout = 20000)]
    public async Task MissingKeyWithMarker_IsLost_NotRecreated()
    {
        using var directory = new TempDirectory();
        await using (new DaemonHarness(directory))
        {
        }

        File.Delete(directory.File(KeyStoreFactory.SoftwareKeyFile));

        await using var daemon = new DaemonHarness(directory);

        Assert.Equal(IdentityStates.Lost, daemon.Identity.Get().State);
        Assert.False(File.Exists(directory.File(KeyStoreFactory.SoftwareKeyFile)));
    }

    [Fact(Timeout = 20000)]
    public async Task KeyAndMarkerMissing_WithAnOutbox_IsLost_NotAFirstStart()
    {
        using var directory = new TempDirectory();
        await using (new DaemonHarness(directory))
        {
        }

        File.Delete(directory.File(KeyStoreFactory.SoftwareKeyFile));
        File.Delete(directory.File("identity.json"));

        await using var daemon = new DaemonHarness(directory);
        IdentityResult identity = daemon.Identity.Get();

        Assert.False(daemon.Inventory.IsFirstStart);
        Assert.Equal(IdentityStates.Lost, identity.State);
        Assert.Contains("not a first start", identity.StateReason, StringComparison.Ordinal);
        Assert.Contains("outbox.db", identity.StateReason, StringComparison.Ordinal);
        Assert.Contains("identity reset --yes", identity.StateReason, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File(KeyStoreFactory.SoftwareKeyFile)));
        Assert.False(File.Exists(directory.File("identity.json")));
    }

    [Fact(Timeout = 20000)]
    public async Task KeyWithoutMarker_IsLost_NotAdopted()
    {
        using var directory = new TempDirectory();
        using ECDsa foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] planted = foreign.ExportPkcs8PrivateKey();
        File.WriteAllBytes(directory.File(KeyStoreFactory.SoftwareKeyFile), planted);

        await using var daemon = new DaemonHarness(directory);
        IdentityResult identity = daemon.Identity.Get();

        Assert.Equal(IdentityStates.Lost, identity.State);
        Assert.Null(identity.Thumbprint);
        Assert.Contains("no identity.json", identity.StateReason, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("identity.json")));
        Assert.Equal(planted, File.ReadAllBytes(directory.File(KeyStoreFactory.SoftwareKeyFile)));
    }

    [Fact(Timeout = 20000)]
    public async Task MarkerRemoved_FromAWorkingIdentity_IsLost_ThenResetRecovers()
    {
        using var directory = new TempDirectory();
        string before;
        await using (var first = new DaemonHarness(directory))
        {
            before = first.Identity.Get().Thumbprint!;
        }

        File.Delete(directory.File("identity.json"));
        await using var daemon = new DaemonHarness(directory);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        Assert.Equal(IdentityStates.Lost, daemon.Identity.Get().State);
        IdentityResult reset = await admin.InvokeAsync(Methods.IdentityReset, new ResetIdentityParams { Confirm = true });
        Assert.Equal(IdentityStates.Ready, reset.State);
        Assert.NotEqual(before, reset.Thumbprint);
    }

    [Fact(Timeout = 20000)]
    public async Task CreationInterruptedAfterTheKey_PendingMarker_AdoptsThatKey()
    {
        using var directory = new TempDirectory();
        string created;
        await using (var first = new DaemonHarness(directory))
        {
            created = first.Identity.Get().Thumbprint!;
        }

        // What a crash between creating the key and completing identity.json leaves behind.
        File.WriteAllText(directory.File("identity.json"), """{"keyClass":"software","thumbprint":null,"createdAt":"2026-01-01T00:00:00+00:00"}""");

        await using var daemon = new DaemonHarness(directory);

        Assert.Equal(IdentityStates.Ready, daemon.Identity.Get().State);
        Assert.Equal(created, daemon.Identity.Get().Thumbprint);
        Assert.Contains(created, File.ReadAllText(directory.File("identity.json")), StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Lost_ProveFails_ThenResetCreatesANewIdentity()
    {
        using var directory = new TempDirectory();
        string before;
        await using (var first = new DaemonHarness(directory))
        {
            before = first.Identity.Get().Thumbprint!;
        }

        File.WriteAllBytes(directory.File(KeyStoreFactory.SoftwareKeyFile), [1, 2, 3]);
        await using var daemon = new DaemonHarness(directory);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        RpcException unavailable = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "a", Nonce = "nonce-123456" }));
        IdentityResult reset = await admin.InvokeAsync(Methods.IdentityReset, new ResetIdentityParams { Confirm = true });

        Assert.Equal(ErrorCodes.IdentityUnavailable, unavailable.Code);
        Assert.Equal(IdentityStates.Ready, reset.State);
        Assert.NotEqual(before, reset.Thumbprint);
        Assert.Equal(reset.Thumbprint, daemon.Identity.Get().Thumbprint);
    }

    [Fact(Timeout = 20000)]
    public async Task Reset_WithoutConfirm_IsInvalidParams()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        string before = daemon.Identity.Get().Thumbprint!;

        RpcException rejected = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityReset, new ResetIdentityParams { Confirm = false }));

        Assert.Equal(RpcErrorCodes.InvalidParams, rejected.Code);
        Assert.Equal(before, daemon.Identity.Get().Thumbprint);
    }
}
