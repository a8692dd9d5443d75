using Launcher.Agent.Notifications;
using Launcher.Agent.UserKeys;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Platform.Keys;
using Launcher.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Agent.Tests;

public sealed class UserKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 10000)]
    public async Task Sign_OverTheConnection_ProofVerifiesAndCarriesUserClassAndUid()
    {
        using UserKey key = NewSoftwareKey();
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), userKey: key);
        UserKeySignParams request = Request();

        UserKeySignResult result = await harness.Daemon.Connection.InvokeAsync(Methods.UserKeySign, request);

        Assert.True(ProofReader.TryVerify(result.Jws, EcPublicKey.FromSpki(Convert.FromBase64String(key.Info.PublicKeySpki)), out ProofHeader? header, out ProofClaims? claims));
        Assert.Equal(ProofFormat.UserProofType, header!.Type);
        Assert.Equal(KeyClasses.UserSoftware, claims!.KeyClass);
        Assert.Equal(4242u, claims.Uid);
        Assert.Equal(request.Audience, claims.Audience);
        Assert.Equal(request.Nonce, claims.Nonce);
        Assert.Equal(request.ProofId, claims.ProofId);
        Assert.Equal(request.IssuedAt, claims.IssuedAt);
        Assert.Equal(request.ExpiresAt, claims.ExpiresAt);
        Assert.Null(claims.MachineId);
    }

    [Fact(Timeout = 10000)]
    public async Task Sign_WithoutUserKey_AnswersAgentFailedNoUserKey()
    {
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), userKey: null);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => harness.Daemon.Connection.InvokeAsync(Methods.UserKeySign, Request()));

        Assert.Equal(ErrorCodes.AgentFailed, error.Code);
        Assert.Equal("no user key", error.Message);
    }

    [Fact(Timeout = 10000)]
    public async Task Sign_LifetimeOverMaximum_IsRejectedBeforeSigning()
    {
        using UserKey key = NewSoftwareKey();
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), userKey: key);
        UserKeySignParams request = Request() with { ExpiresAt = Request().IssuedAt + ProofFormat.MaxLifetimeSeconds + 1 };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => harness.Daemon.Connection.InvokeAsync(Methods.UserKeySign, request));

        Assert.Equal(RpcErrorCodes.InvalidParams, error.Code);
    }

    [Fact(Timeout = 10000)]
    public async Task Sign_IssuedAtFarFromAgentClock_IsRefused()
    {
        using UserKey key = NewSoftwareKey();
        await using var harness = new InboxHarness(SeenNotifications.InMemory(), userKey: key);
        long later = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => harness.Daemon.Connection.InvokeAsync(Methods.UserKeySign, Request() with { IssuedAt = later, ExpiresAt = later + 60 }));

        Assert.Equal(ErrorCodes.AgentFailed, error.Code);
    }

    [Fact]
    public void Open_Software_CreatesOnceThenLoadsTheSameKey()
    {
        using UserKey? created = UserKeyFactory.Open(UserKeyMode.Software, _dir.Path, NullLogger.Instance);
        using UserKey? loaded = UserKeyFactory.Open(UserKeyMode.Software, _dir.Path, NullLogger.Instance);

        Assert.NotNull(created);
        Assert.Equal(created.Info, loaded!.Info);
        Assert.Equal(KeyClasses.UserSoftware, loaded.KeyClass);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File(UserKeyFactory.SoftwareFileName)));
    }

    [Fact]
    public void Open_CorruptKeyFile_OffersNoKeyAndLeavesTheFile()
    {
        string path = _dir.File(UserKeyFactory.SoftwareFileName);
        byte[] garbage = [1, 2, 3, 4, 5];
        File.WriteAllBytes(path, garbage);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using UserKey? key = UserKeyFactory.Open(UserKeyMode.Auto, _dir.Path, NullLogger.Instance);

        Assert.Null(key);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_None_OffersNoKeyAndWritesNothing()
    {
        using UserKey? key = UserKeyFactory.Open(UserKeyMode.None, _dir.Path, NullLogger.Instance);

        Assert.Null(key);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [NotMacOSFact]
    public void Open_SecureEnclaveOffMacOS_OffersNoKeyRatherThanSoftware()
    {
        using UserKey? key = UserKeyFactory.Open(UserKeyMode.SecureEnclave, _dir.Path, NullLogger.Instance);

        Assert.Null(key);
        Assert.False(File.Exists(_dir.File(UserKeyFactory.SoftwareFileName)));
    }

    private UserKey NewSoftwareKey()
    {
        var store = new SoftwareKeyStore(_dir.File("k.p8"), KeyClasses.UserSoftware);
        return new UserKey(store.Create(), store);
    }

    private static UserKeySignParams Request()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new UserKeySignParams { Audience = "https://fleet.example", Nonce = "nonce-12345678", ProofId = "p_1", IssuedAt = now, ExpiresAt = now + 60 };
    }
}
