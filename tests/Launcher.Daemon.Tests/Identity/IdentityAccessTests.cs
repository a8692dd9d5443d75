using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Identity;
using Launcher.Daemon.Ipc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>
/// A key the daemon may not read (UnauthorizedAccessException) is a clear, retried state: before, the exception
/// escaped start-up and launchd restarted the daemon into the same crash, forever.
/// </summary>
public sealed class IdentityAccessTests
{
    [Fact]
    public void Load_AccessDenied_IsUnavailableWithTheReason_NotAnException()
    {
        using var directory = new TempDirectory();
        string keyPath = directory.File(KeyStoreFactory.SoftwareKeyFile);
        // A first start makes the key and identity.json, as the daemon does; the next start may not read the key.
        using (IdentityService first = NewService(directory, new AccessDeniedKeyStore(keyPath) { Denied = false }, TimeProvider.System))
        {
            first.Initialize();
            Assert.Equal(IdentityStates.Ready, first.Get().State);
        }

        using IdentityService identity = NewService(directory, new AccessDeniedKeyStore(keyPath), TimeProvider.System);

        identity.Initialize();
        IdentityResult result = identity.Get();

        Assert.Equal(IdentityStates.Unavailable, result.State);
        Assert.Contains("access to the key store was refused", result.StateReason, StringComparison.Ordinal);
        Assert.Contains("is denied", result.StateReason, StringComparison.Ordinal);
        Assert.True(File.Exists(keyPath), "the key is kept");
    }

    [Fact]
    public void Create_AccessDenied_IsUnavailable_AndRetryLoadsOnceAccessIsBack()
    {
        using var directory = new TempDirectory();
        var time = new SteppingTimeProvider();
        var store = new AccessDeniedKeyStore(directory.File(KeyStoreFactory.SoftwareKeyFile));
        using IdentityService identity = NewService(directory, store, time);

        identity.Initialize();
        Assert.Equal(IdentityStates.Unavailable, identity.Get().State);

        store.Denied = false;
        time.Advance(TimeSpan.FromSeconds(11));

        IdentityResult result = identity.Get();
        Assert.Equal(IdentityStates.Ready, result.State);
        Assert.NotNull(result.Thumbprint);
    }

    private static IdentityService NewService(TempDirectory directory, AccessDeniedKeyStore store, TimeProvider time)
    {
        var options = new DaemonOptions { SocketPath = directory.File("test.sock"), StateDirectory = directory.Path, Dev = true, KeyStore = "software" };
        return new IdentityService(
            new KeyStoreSelection(store, []),
            options,
            new MachineFactsInfo { OsName = "Test" },
            StateInventory.Take(directory.Path),
            new UserKeyProof(new SessionRegistry(), options, () => null, NullLogger<UserKeyProof>.Instance),
            time,
            NullLogger<IdentityService>.Instance);
    }
}
