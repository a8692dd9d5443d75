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
        using (var first = new AccessDeniedKeyStore(keyPath) { Denied = false })
        {
            first.Create();
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

    private static IdentityService NewService(TempDirectory directory, AccessDeniedKeyStore store, TimeProvider time) => new(
        new KeyStoreSelection(store, []),
        new DaemonOptions { SocketPath = directory.File("test.sock"), StateDirectory = directory.Path, Dev = true, KeyStore = "software" },
        new MachineFactsInfo { OsName = "Test" },
        new SessionRegistry(),
        time,
        NullLogger<IdentityService>.Instance);
}
