using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A machine as the server sees one: a real ClientWebSocket over TLS, the project's JSON-RPC engine on the
/// WebSocket transport, a software P-256 key signing proofs with the contracts' ProofWriter.
/// </summary>
internal sealed class TestMachine : IAsyncDisposable
{
    private readonly ConcurrentQueue<FleetNotificationParams> _received = new();
    private readonly SemaphoreSlim _receivedSignal = new(0);

    private TestMachine(ECDsa key, ClientWebSocket socket, string channelBinding)
    {
        Key = key;
        PublicKey = EcPublicKey.FromSpki(key.ExportSubjectPublicKeyInfo());
        Socket = socket;
        ChannelBinding = channelBinding;
        var table = new RpcHandlerTable()
            .Add(FleetMethods.NotificationSend, (_, request, _) =>
            {
                _received.Enqueue(request);
                _receivedSignal.Release();
                return ValueTask.FromResult(new FleetNotificationResult { Accepted = true });
            })
            .Add(FleetMethods.MachineFacts, (_, _, _) => ValueTask.FromResult(Facts))
            .Add(FleetMethods.IdentityProve, (_, request, _) => ValueTask.FromResult(new FleetProveResult { Proof = Proof(request.Audience, request.Nonce, MachineId, cb: string.Empty, signer: ProveWith) }));
        Rpc = new JsonRpcConnection(new WebSocketTransport(socket, RpcLimits.Default), table, new RpcLimits { FirstMessageTimeout = Timeout.InfiniteTimeSpan, IdleTimeout = null }) { Name = "test machine" };
        Rpc.Start();
    }

    public ECDsa Key { get; }

    public EcPublicKey PublicKey { get; }

    public ClientWebSocket Socket { get; }

    public JsonRpcConnection Rpc { get; }

    /// <summary>base64url SHA-256 of the certificate this connection saw: what an honest daemon puts in cb.</summary>
    public string ChannelBinding { get; }

    public string KeyClass { get; set; } = KeyClasses.Software;

    public FleetFacts Facts { get; set; } = new() { Serial = "SER-" + Guid.NewGuid().ToString("N")[..8], HardwareUuid = Guid.NewGuid().ToString(), Model = "Test", OsName = "Linux", OsVersion = "6", Hostname = "test-host" };

    public string? MachineId { get; private set; }

    /// <summary>The key identity/prove signs with (null: the machine key); another key plays a machine whose key was swapped.</summary>
    public ECDsa? ProveWith { get; set; }

    /// <summary>Connects to <paramref name="server"/> trusting exactly the certificate validator given.</summary>
    public static async Task<TestMachine> ConnectAsync(Uri server, Func<X509Certificate2, bool> trust, ECDsa? key = null, Action<ClientWebSocketOptions>? configure = null)
    {
        string? seen = null;
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var presented = new X509Certificate2(certificate);
            seen = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(presented.RawData));
            return trust(presented);
        };
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(server) { Scheme = "wss", Path = "/v1/daemon" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestMachine(key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256), socket, seen!);
    }

    /// <summary>A validator that trusts certificates chaining to the fleet CA.</summary>
    public static Func<X509Certificate2, bool> TrustCa(X509Certificate2 ca) => presented =>
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    };

    public async Task<ChallengeResult> ChallengeAsync() => await Rpc.InvokeAsync(FleetMethods.Challenge, EmptyParams.Instance);

    public string Proof(string audience, string nonce, string? machineId = null, string? cb = null, long? issuedAt = null, int lifetime = 120, string? keyClass = null, ECDsa? signer = null)
    {
        ECDsa key = signer ?? Key;
        EcPublicKey publicKey = EcPublicKey.FromSpki(key.ExportSubjectPublicKeyInfo());
        long iat = issuedAt ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new ProofClaims
        {
            Audience = audience,
            Nonce = nonce,
            IssuedAt = iat,
            ExpiresAt = iat + lifetime,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = keyClass ?? KeyClass,
            MachineId = machineId,
            TlsCertificateSha256 = cb ?? ChannelBinding,
        };
        return ProofWriter.Create(ProofFormat.MachineProofType, publicKey, claims, digest => key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public async Task<EnrollResult> EnrollAsync(string token)
    {
        ChallengeResult challenge = await ChallengeAsync();
        EnrollResult result = await Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = Proof(challenge.Audience, challenge.Nonce), Facts = Facts });
        MachineId = result.MachineId;
        return result;
    }

    public async Task<EnrollResult> AuthenticateAsync(string machineId)
    {
        ChallengeResult challenge = await ChallengeAsync();
        EnrollResult result = await Rpc.InvokeAsync(FleetMethods.Authenticate, new AuthenticateParams { Proof = Proof(challenge.Audience, challenge.Nonce, machineId) });
        MachineId = result.MachineId;
        return result;
    }

    public async Task<FleetNotificationParams> NextNotificationAsync(TimeSpan? timeout = null)
    {
        if (!await _receivedSignal.WaitAsync(timeout ?? TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException("No notification/send arrived.");
        }

        _received.TryDequeue(out FleetNotificationParams? next);
        return next!;
    }

    /// <summary>Waits until the server ends the connection; the close status it sent.</summary>
    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? timeout = null)
    {
        await Rpc.Completion.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return Socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        await Rpc.DisposeAsync();
        Key.Dispose();
    }
}
