using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Identity;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>
/// The user-key fallback with the machine key lost: only the configured uid (the console user, or an explicit list)
/// may serve it, the returned proof must carry exactly the claims and header the daemon asked for, and the key
/// class must be one the platform can back.
/// </summary>
public sealed class UserKeyFallbackTests
{
    private const uint ConsoleUid = 1000;
    private const uint RogueUid = 2000;

    [Fact(Timeout = 20000)]
    public async Task RogueUid_WithItsOwnKey_IsNeverAskedToSign()
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var rogue = new TestUserAgent(RogueUid);
        await rogue.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" }));

        Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
        Assert.Equal(0, rogue.SignCalls);
    }

    [Fact(Timeout = 20000)]
    public async Task ConsoleUser_IsUsed_EvenWhenARogueAgentRegisteredLater()
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var console = new TestUserAgent(ConsoleUid);
        await console.RegisterAsync(fallback.Daemon);
        var rogue = new TestUserAgent(RogueUid);
        await rogue.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" });

        Assert.True(ProofReader.TryVerify(proof.Jws, console.PublicKey, out _, out ProofClaims? claims));
        Assert.Equal(ConsoleUid, claims!.Uid);
        Assert.Equal(0, rogue.SignCalls);
        Assert.Equal(KeyClasses.UserSoftware, proof.KeyClass);
    }

    [Fact(Timeout = 20000)]
    public async Task ExplicitUidList_WinsOverTheConsoleUser()
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid, userKeyUids: [RogueUid]);
        var console = new TestUserAgent(ConsoleUid);
        await console.RegisterAsync(fallback.Daemon);
        var listed = new TestUserAgent(RogueUid);
        await listed.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" });

        Assert.True(ProofReader.TryVerify(proof.Jws, listed.PublicKey, out _, out ProofClaims? claims));
        Assert.Equal(RogueUid, claims!.Uid);
        Assert.Equal(0, console.SignCalls);
    }

    [Fact(Timeout = 20000)]
    public async Task NoConsoleUser_AndNoList_NobodyServesTheFallback()
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: null);
        var agent = new TestUserAgent(ConsoleUid);
        await agent.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" }));

        Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
        Assert.Contains("console", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, agent.SignCalls);
    }

    [Theory(Timeout = 20000)]
    [InlineData("machine_id", "\"m-forged\"")]
    [InlineData("tls_cert_sha256", "\"AAAA\"")]
    [InlineData("admin", "true")]
    [InlineData("sub", "\"root\"")]
    public async Task ReturnedProof_WithAnExtraClaim_IsRefused(string claim, string value)
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var agent = new TestUserAgent(ConsoleUid) { ExtraClaim = (claim, value) };
        await agent.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" }));

        Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
        Assert.Equal(1, agent.SignCalls);
    }

    [Theory(Timeout = 20000)]
    [InlineData("x5u", "\"https://evil.example/key\"")]
    [InlineData("crit", "[\"exp\"]")]
    [InlineData("cty", "\"JWT\"")]
    public async Task ReturnedProof_WithAnExtraHeaderMember_IsRefused(string member, string value)
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var agent = new TestUserAgent(ConsoleUid) { ExtraHeader = (member, value) };
        await agent.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" }));

        Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
    }

    [Fact(Timeout = 20000)]
    public async Task ReturnedProof_WithADuplicatedClaim_IsRefused()
    {
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var agent = new TestUserAgent(ConsoleUid) { ExtraClaim = ("aud", "\"https://other.example\"") };
        await agent.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" }));

        Assert.Equal(ErrorCodes.IdentityUnavailable, refused.Code);
    }

    [Fact(Timeout = 20000)]
    public async Task WellFormedProof_FromTheTestAgent_IsAccepted()
    {
        // The control for the two tests above: the same agent without the extra member passes.
        await using FallbackDaemon fallback = await FallbackDaemon.StartAsync(consoleUid: ConsoleUid);
        var agent = new TestUserAgent(ConsoleUid);
        await agent.RegisterAsync(fallback.Daemon);
        JsonRpcConnection admin = fallback.Daemon.Connect(DaemonHarness.Root);

        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-123456" });

        Assert.Equal(agent.LastJws, proof.Jws);
    }

    [Fact(Timeout = 20000)]
    public async Task UserSecureEnclave_FromAnAgentOffMacOS_IsRefusedAtRegister()
    {
        await using var daemon = new DaemonHarness(allowUserKeyFallback: true, consoleUser: () => ConsoleUid);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(ConsoleUid));
        var request = new RegisterParams
        {
            AgentVersion = "test",
            UserKey = new UserKeyInfo { KeyClass = KeyClasses.UserSecureEnclave, PublicKeySpki = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) },
        };

        if (OperatingSystem.IsMacOS())
        {
            // On a Mac an agent can hold a Secure Enclave key; the class is accepted there.
            Assert.Equal(ConsoleUid, (await agent.InvokeAsync(Methods.AgentRegister, request)).Uid);
            return;
        }

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => agent.InvokeAsync(Methods.AgentRegister, request));

        Assert.Equal(RpcErrorCodes.InvalidParams, refused.Code);
        Assert.Contains(KeyClasses.UserSecureEnclave, refused.Message, StringComparison.Ordinal);
        Assert.Empty(daemon.Sessions.Agents(ConsoleUid));
    }

    [Theory(Timeout = 20000)]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")]
    [InlineData("rsa")]
    [InlineData("p384")]
    public async Task MalformedUserKey_IsRefusedAtRegisterWithInvalidParams(string spki)
    {
        await using var daemon = new DaemonHarness(allowUserKeyFallback: true, consoleUser: () => ConsoleUid);
        if (spki == "rsa")
        {
            using RSA rsa = RSA.Create(2048);
            spki = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        }
        else if (spki == "p384")
        {
            using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            spki = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo());
        }

        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(ConsoleUid));

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => agent.InvokeAsync(Methods.AgentRegister, new RegisterParams
        {
            AgentVersion = "test",
            UserKey = new UserKeyInfo { KeyClass = KeyClasses.UserSoftware, PublicKeySpki = spki },
        }));

        Assert.Equal(RpcErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("publicKeySpki", refused.Message, StringComparison.Ordinal);
        Assert.Empty(daemon.Sessions.Agents(ConsoleUid));
    }

    /// <summary>A daemon whose machine identity is lost (key deleted, marker kept) with the fallback allowed.</summary>
    private sealed class FallbackDaemon : IAsyncDisposable
    {
        private readonly TempDirectory _directory;

        private FallbackDaemon(TempDirectory directory, DaemonHarness daemon)
        {
            _directory = directory;
            Daemon = daemon;
        }

        public DaemonHarness Daemon { get; }

        public static async Task<FallbackDaemon> StartAsync(uint? consoleUid, IReadOnlyList<uint>? userKeyUids = null)
        {
            var directory = new TempDirectory();
            await using (new DaemonHarness(directory))
            {
            }

            File.Delete(directory.File(KeyStoreFactory.SoftwareKeyFile));
            var daemon = new DaemonHarness(directory, allowUserKeyFallback: true, userKeyUids: userKeyUids, consoleUser: () => consoleUid);
            Assert.Equal(IdentityStates.Lost, daemon.Identity.Get().State);
            return new FallbackDaemon(directory, daemon);
        }

        public async ValueTask DisposeAsync()
        {
            await Daemon.DisposeAsync();
            _directory.Dispose();
        }
    }

    /// <summary>An agent with a software user key that signs what the daemon asks, optionally adding a member.</summary>
    private sealed class TestUserAgent
    {
        private readonly uint _uid;
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        private int _signCalls;

        public TestUserAgent(uint uid)
        {
            _uid = uid;
            PublicKey = EcPublicKey.FromSpki(_key.ExportSubjectPublicKeyInfo());
        }

        public EcPublicKey PublicKey { get; }

        public (string Name, string Json)? ExtraClaim { get; init; }

        public (string Name, string Json)? ExtraHeader { get; init; }

        public int SignCalls => Volatile.Read(ref _signCalls);

        public string? LastJws { get; private set; }

        public async Task RegisterAsync(DaemonHarness daemon)
        {
            RpcHandlerTable handlers = new RpcHandlerTable().Add(Methods.UserKeySign, (_, request, _) =>
            {
                Interlocked.Increment(ref _signCalls);
                LastJws = Sign(request);
                return ValueTask.FromResult(new UserKeySignResult { Jws = LastJws });
            });
            JsonRpcConnection connection = daemon.Connect(DaemonHarness.User(_uid), handlers);
            await connection.InvokeAsync(Methods.AgentRegister, new RegisterParams
            {
                AgentVersion = "test",
                UserKey = new UserKeyInfo { KeyClass = KeyClasses.UserSoftware, PublicKeySpki = Convert.ToBase64String(PublicKey.Spki) },
            });
        }

        private string Sign(UserKeySignParams request)
        {
            string jwk = $$"""{"kty":"EC","crv":"P-256","x":"{{PublicKey.Jwk.X}}","y":"{{PublicKey.Jwk.Y}}"}""";
            string header = $$"""{"alg":"ES256","typ":"{{ProofFormat.UserProofType}}","jwk":{{jwk}},"kid":"{{PublicKey.Thumbprint}}"{{Extra(ExtraHeader)}}}""";
            string claims = $$"""{"aud":{{Quote(request.Audience)}},"nonce":{{Quote(request.Nonce)}},"iat":{{request.IssuedAt}},"exp":{{request.ExpiresAt}},"jti":{{Quote(request.ProofId)}},"key_class":"{{KeyClasses.UserSoftware}}","uid":{{_uid}}{{Extra(ExtraClaim)}}}""";
            string input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
            byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return input + "." + Base64Url.EncodeToString(signature);
        }

        private static string Extra((string Name, string Json)? member) => member is { } m ? $",\"{m.Name}\":{m.Json}" : string.Empty;

        private static string Quote(string value) => JsonSerializer.Serialize(value, Launcher.Daemon.Tests.TestJson.Default.String);
    }
}
