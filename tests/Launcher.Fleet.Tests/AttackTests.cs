using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests;

/// <summary>The attacks of issue 6 section 3 on the server side: each refused with its clear error, the server serving on.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AttackTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task ProofForAnotherAudience_IsRefused_NamingAud()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();
        ChallengeResult challenge = await machine.ChallengeAsync();
        string token = await fleet.CreateTokenAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams
        {
            Token = token,
            Proof = machine.Proof("https://other.example", challenge.Nonce),
        }));

        Assert.Equal(FleetErrorCodes.InvalidProof, error.Code);
        Assert.Equal($"The proof's aud is not {fleet.Audience}.", error.Message);
        await AssertStillServesAsync(fleet);
    }

    [Fact(Timeout = T)]
    public async Task ReplayedNonce_IsRefused_OnThisConnectionAndAnother()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();
        ChallengeResult challenge = await machine.ChallengeAsync();
        string proof = machine.Proof(challenge.Audience, challenge.Nonce);
        string token = await fleet.CreateTokenAsync(uses: 5);
        EnrollResult enrolled = await machine.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = proof });

        // The same proof (and nonce) captured and replayed on a new connection.
        await using TestMachine attacker = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), EnrolmentTests.CloneKey(machine));
        RpcException replay = await Assert.ThrowsAsync<RpcException>(() => attacker.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = proof }));
        Assert.Equal(FleetErrorCodes.NonceRejected, replay.Code);

        // A fresh nonce used twice on the connection that asked for it.
        ChallengeResult second = await attacker.ChallengeAsync();
        string auth = attacker.Proof(second.Audience, second.Nonce, enrolled.MachineId);
        await attacker.Rpc.InvokeAsync(FleetMethods.Authenticate, new AuthenticateParams { Proof = auth });
        await using TestMachine third = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), EnrolmentTests.CloneKey(machine));
        RpcException again = await Assert.ThrowsAsync<RpcException>(() => third.Rpc.InvokeAsync(FleetMethods.Authenticate, new AuthenticateParams { Proof = auth }));
        Assert.Equal(FleetErrorCodes.NonceRejected, again.Code);
        Assert.Contains("already used", again.Message);
    }

    [Fact(Timeout = T)]
    public async Task ExpiredProof_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();
        ChallengeResult challenge = await machine.ChallengeAsync();
        long longAgo = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams
        {
            Token = "lfe_x",
            Proof = machine.Proof(challenge.Audience, challenge.Nonce, issuedAt: longAgo),
        }));

        Assert.Equal(FleetErrorCodes.InvalidProof, error.Code);
        Assert.Equal("The proof has expired.", error.Message);
    }

    [Fact(Timeout = T)]
    public async Task ProofByAnotherKey_ForAnEnrolledMachine_IsRefusedAsUnknownMachine()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine victim = await fleet.EnrolAsync();
        await using TestMachine attacker = await fleet.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => attacker.AuthenticateAsync(victim.MachineId!));

        Assert.Equal(FleetErrorCodes.UnknownMachine, error.Code);
        Assert.Equal("The proof's key is not the key enrolled for this machine.", error.Message);
    }

    [Fact(Timeout = T)]
    public async Task ProofSignedByAKeyOtherThanItsJwk_IsRefusedOnTheSignature()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();
        ChallengeResult challenge = await machine.ChallengeAsync();
        string proof = machine.Proof(challenge.Audience, challenge.Nonce);
        string[] parts = proof.Split('.');
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] signature = other.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        string forged = parts[0] + "." + parts[1] + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = "lfe_x", Proof = forged }));

        Assert.Equal(FleetErrorCodes.InvalidProof, error.Code);
        Assert.Equal("The proof's signature does not verify with its jwk.", error.Message);
    }

    [Fact(Timeout = T)]
    public async Task TlsTerminatingProxy_BreaksTheChannelBinding()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, publicUrl: null);
        await using var relay = new TlsTerminatingRelay(fleet.Url);
        await using TestMachine machine = await TestMachine.ConnectAsync(relay.Url, presented => presented.Thumbprint == relay.Certificate.Thumbprint);
        ChallengeResult challenge = await machine.ChallengeAsync();

        string token = await fleet.CreateTokenAsync();

        // The daemon binds to what it saw (the relay's certificate); the server presented its own.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams
        {
            Token = token,
            Proof = machine.Proof(challenge.Audience, challenge.Nonce),
        }));

        Assert.Equal(FleetErrorCodes.ChannelBindingMismatch, error.Code);
        Assert.Contains("TLS-terminating proxy", error.Message);
        Assert.NotEqual(fleet.Server.Pki.TlsCertificateHash, machine.ChannelBinding);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task RevokedMachine_OpenConnectionIsClosed_AndTheNextConnectionRefused(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine machine = await fleet.EnrolAsync();

        using HttpResponseMessage revoke = await fleet.Admin.PostAsync($"/api/v1/machines/{machine.MachineId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.True((await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await machine.WaitClosedAsync());

        await using TestMachine again = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), EnrolmentTests.CloneKey(machine));
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => again.AuthenticateAsync(machine.MachineId!));
        Assert.Equal(FleetErrorCodes.MachineRevoked, error.Code);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await again.WaitClosedAsync());

        JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{machine.MachineId}");
        Assert.True(view.GetProperty("revoked").GetBoolean());
        Assert.Empty(view.GetProperty("grants").EnumerateArray());
    }

    [Fact(Timeout = T)]
    public async Task AdminApi_WithoutOrWithAWrongToken_Is401ProblemDetails()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        using HttpClient wrong = fleet.Client("lfa_wrong");
        using HttpClient enrolmentToken = fleet.Client(await fleet.CreateTokenAsync());

        foreach (HttpClient client in new[] { fleet.Anonymous, wrong, enrolmentToken })
        {
            using HttpResponseMessage response = await client.GetAsync("/api/v1/machines");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
            string body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("   at ", body);
            Assert.DoesNotContain("Exception", body);
        }

        using HttpResponseMessage post = await fleet.Anonymous.PostAsJsonAsync("/api/v1/machines/m_x/revoke", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact(Timeout = T)]
    public async Task MethodsBeyondTheHandshake_BeforeAuthentication_AreNotAuthenticated()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.ConnectAsync();

        RpcException renew = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.Renew, EmptyParams.Instance));
        RpcException outcome = await Assert.ThrowsAsync<RpcException>(() => machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = "n_x", Uid = 501, Outcome = "shown", At = 1 }));

        Assert.Equal(FleetErrorCodes.NotAuthenticated, renew.Code);
        Assert.Equal(FleetErrorCodes.NotAuthenticated, outcome.Code);
    }

    [Fact(Timeout = T)]
    public async Task OversizedMalformedAndBinaryMessages_GetTheirErrors_AndTheServerServesOn()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);

        await using (TestMachine malformed = await fleet.ConnectAsync())
        {
            await malformed.Socket.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":1,"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            // The engine answers a parse error; the connection stays usable.
            ChallengeResult challenge = await malformed.ChallengeAsync();
            Assert.NotEmpty(challenge.Nonce);
        }

        using (var raw = await RawAsync(fleet))
        {
            await raw.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
            Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await ReceiveCloseAsync(raw));
        }

        using (var raw = await RawAsync(fleet))
        {
            byte[] chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            Task<WebSocketCloseStatus?> closed = ReceiveCloseAsync(raw);
            try
            {
                for (int i = 0; i < 40 && !closed.IsCompleted; i++)
                {
                    await raw.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException)
            {
            }

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, await closed.WaitAsync(TimeSpan.FromSeconds(20)));
        }

        await AssertStillServesAsync(fleet);
    }

    [Fact(Timeout = T)]
    public async Task ConnectionsThatNeverAuthenticate_AreBounded_AndClosedAtTheDeadline()
    {
        var limits = new FleetServerLimits { MaxUnauthenticatedConnections = 2, AuthenticationDeadline = TimeSpan.FromSeconds(2) };
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, limits);
        using ClientWebSocket first = await RawAsync(fleet);
        using ClientWebSocket second = await RawAsync(fleet);

        var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        third.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(fleet.Ca)(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(new Uri($"wss://127.0.0.1:{fleet.Url.Port}/v1/daemon"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        Assert.True(third.HttpResponseHeaders!.TryGetValue("Retry-After", out IEnumerable<string>? retryAfter));
        Assert.InRange(int.Parse(retryAfter!.Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        third.Dispose();

        // The deadline closes both with 1008, and their slots come back.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(first));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(second));
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await AssertStillServesAsync(fleet);
                break;
            }
            catch (WebSocketException) when (attempt < 20)
            {
                // The closed connections' slots come back as soon as the server has seen them end.
                await Task.Delay(250);
            }
        }
    }

    private readonly PostgresFixture _postgres;

    public AttackTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    private static async Task AssertStillServesAsync(FleetHarness fleet)
    {
        await using TestMachine healthy = await fleet.EnrolAsync();
        Assert.NotNull(healthy.MachineId);
    }

    private static async Task<ClientWebSocket> RawAsync(FleetHarness fleet)
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(fleet.Ca)(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{fleet.Url.Port}/v1/daemon"), CancellationToken.None);
        return socket;
    }

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        var buffer = new byte[8192];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer it, as a well-behaved client does, so the server can end the connection at once.
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return result.CloseStatus;
            }
        }
    }
}
