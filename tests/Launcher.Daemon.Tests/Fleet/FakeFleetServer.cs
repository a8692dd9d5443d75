using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Fleet;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Fleet;

/// <summary>
/// A small fleet server for the daemon's unit tests: TLS over loopback with a test CA, the WebSocket upgrade by hand,
/// and the server half of docs/fleet-protocol.md on the project's JSON-RPC engine. It checks what a real server checks
/// of a proof (signature by the expected key, aud, its nonce, cb) and can misbehave on purpose.
/// </summary>
internal sealed class FakeFleetServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TestCertificates _certificates;
    private readonly Func<EcPublicKey?> _machineKey;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, bool> _nonces = new();
    private readonly ConcurrentBag<JsonRpcConnection> _connections = [];
    private readonly Task _acceptLoop;
    private readonly RpcHandlerTable _handlers;
    private int _certificateGeneration;

    public FakeFleetServer(TestCertificates certificates, Func<EcPublicKey?> machineKey, TimeProvider? time = null)
    {
        _certificates = certificates;
        _machineKey = machineKey;
        _time = time ?? TimeProvider.System;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _handlers = new RpcHandlerTable()
            .Add(FleetMethods.Challenge, (context, request, ct) => ValueTask.FromResult(Challenge()))
            .Add(FleetMethods.Enroll, (context, request, ct) => EnrollAsync(context, request))
            .Add(FleetMethods.Authenticate, (context, request, ct) => ValueTask.FromResult(Authenticate(context, request)))
            .Add(FleetMethods.Renew, (context, request, ct) => ValueTask.FromResult(Renew()))
            .Add(FleetMethods.NotificationOutcome, (context, request, ct) => Outcome(request));
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public FakeFleetBehaviour Behaviour { get; set; } = FakeFleetBehaviour.Normal;

    public int RetryAfterSeconds { get; set; } = 120;

    public RpcException AuthenticateError { get; set; } = new(FleetErrorCodes.MachineRevoked, "The machine is revoked.");

    /// <summary>The one token fleet/enroll accepts.</summary>
    public string AcceptedToken { get; set; } = "lfe_good";

    /// <summary>When set, fleet/enroll answers with this error (after counting the attempt).</summary>
    public RpcException? EnrollError { get; set; }

    /// <summary>How long fleet/enroll takes before it answers.</summary>
    public TimeSpan EnrollDelay { get; set; }

    /// <summary>fleet/enroll calls received.</summary>
    public int EnrolAttempts => _enrolAttempts;

    /// <summary>The most fleet/enroll calls that were in progress at once.</summary>
    public int MaxConcurrentEnrolments => _maxConcurrentEnrolments;

    private int _enrolAttempts;
    private int _enrolmentsInProgress;
    private int _maxConcurrentEnrolments;

    /// <summary>When set, outcomes are refused with this code (for example Overloaded) instead of recorded.</summary>
    public int? RefuseOutcomesWith { get; set; }

    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When set, fleet/authenticate returns the certificate issued last instead of a new one.</summary>
    public bool AuthenticateKeepsCertificate { get; set; }

    private EnrollResult? _lastIssued;

    public int Connections => _connectionsAccepted;

    public int Renewals => _renewals;

    public ConcurrentQueue<OutcomeParams> Outcomes { get; } = new();

    /// <summary>The cb claims of accepted proofs.</summary>
    public ConcurrentQueue<string?> ChannelBindings { get; } = new();

    /// <summary>The latest authenticated connection, to call the daemon.</summary>
    public JsonRpcConnection? Authenticated { get; private set; }

    private int _connectionsAccepted;
    private int _renewals;

    public string ExpectedChannelBinding => FleetChannelBinding.Of(_certificates.Server);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (JsonRpcConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connectionsAccepted);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificates.Server }, _stop.Token);
            string request = await ReadHeadersAsync(tls);
            string key = request.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).Single();
            if (Behaviour == FakeFleetBehaviour.Busy)
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 503 Service Unavailable\r\nRetry-After: {RetryAfterSeconds}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                await tls.FlushAsync();
                tls.Dispose();
                return;
            }

            string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
            await tls.FlushAsync();
            WebSocket socket = WebSocket.CreateFromStream(tls, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            switch (Behaviour)
            {
                case FakeFleetBehaviour.Garbage:
                    await socket.SendAsync(Encoding.UTF8.GetBytes("this is not json {{{"), WebSocketMessageType.Text, true, _stop.Token);
                    await DrainAsync(socket);
                    return;
                case FakeFleetBehaviour.Huge:
                    await socket.SendAsync(new byte[2 * 1024 * 1024], WebSocketMessageType.Text, true, _stop.Token);
                    await DrainAsync(socket);
                    return;
                case FakeFleetBehaviour.WrongTypes:
                    // Answers the daemon's first call (fleet/challenge) with a result of the wrong shape.
                    var buffer = new byte[64 * 1024];
                    WebSocketReceiveResult first = await socket.ReceiveAsync(buffer, _stop.Token);
                    using (JsonDocument call = JsonDocument.Parse(buffer.AsMemory(0, first.Count)))
                    {
                        string id = call.RootElement.GetProperty("id").GetRawText();
                        string reply = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"nonce\":5,\"audience\":[],\"expiresAt\":\"soon\"}}";
                        await socket.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, _stop.Token);
                    }

                    await DrainAsync(socket);
                    return;
            }

            var connection = new JsonRpcConnection(new WebSocketTransport(socket, RpcLimits.Default), _handlers, RpcLimits.Default) { Name = "fake fleet" };
            connection.State = new ConnectionState();
            _connections.Add(connection);
            connection.Start();
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or WebSocketException or InvalidOperationException or SocketException)
        {
            // A refused TLS handshake (the daemon does not trust us) or a client that went away.
            client.Dispose();
        }
    }

    private async Task DrainAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }

        socket.Dispose();
    }

    private static async Task<string> ReadHeadersAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("closed during the upgrade");
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private ChallengeResult Challenge()
    {
        string nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        _nonces[nonce] = true;
        return new ChallengeResult { Nonce = nonce, Audience = Url, ExpiresAt = _time.GetUtcNow().ToUnixTimeSeconds() + 60 };
    }

    private async ValueTask<EnrollResult> EnrollAsync(RpcCallContext context, EnrollParams request)
    {
        Interlocked.Increment(ref _enrolAttempts);
        int inProgress = Interlocked.Increment(ref _enrolmentsInProgress);
        int max;
        while (inProgress > (max = _maxConcurrentEnrolments) && Interlocked.CompareExchange(ref _maxConcurrentEnrolments, inProgress, max) != max)
        {
        }

        try
        {
            if (EnrollDelay > TimeSpan.Zero)
            {
                await Task.Delay(EnrollDelay, _stop.Token);
            }

            return Enroll(context, request);
        }
        finally
        {
            Interlocked.Decrement(ref _enrolmentsInProgress);
        }
    }

    private EnrollResult Enroll(RpcCallContext context, EnrollParams request)
    {
        if (EnrollError is RpcException error)
        {
            throw error;
        }

        if (request.Token != AcceptedToken)
        {
            throw new RpcException(FleetErrorCodes.InvalidToken, "The enrolment token is unknown, expired, used up or revoked.");
        }

        ProofClaims claims = Verify(request.Proof, machineId: null);
        ((ConnectionState)context.Connection.State!).Authenticated = true;
        Authenticated = context.Connection;
        return Result(claims);
    }

    private EnrollResult Authenticate(RpcCallContext context, AuthenticateParams request)
    {
        if (Behaviour == FakeFleetBehaviour.RefuseAuthenticate)
        {
            throw AuthenticateError;
        }

        ProofClaims claims = Verify(request.Proof, machineId: "m-1");
        ((ConnectionState)context.Connection.State!).Authenticated = true;
        Authenticated = context.Connection;
        return AuthenticateKeepsCertificate && _lastIssued is not null ? _lastIssued : Result(claims);
    }

    private RenewResult Renew()
    {
        Interlocked.Increment(ref _renewals);
        EnrollResult fresh = Result(null);
        return new RenewResult { Certificate = fresh.Certificate, NotAfter = fresh.NotAfter, RenewAfter = fresh.RenewAfter };
    }

    private ValueTask<EmptyParams> Outcome(OutcomeParams request)
    {
        if (RefuseOutcomesWith is int code)
        {
            throw new RpcException(code, "Not now.");
        }

        Outcomes.Enqueue(request);
        return ValueTask.FromResult(EmptyParams.Instance);
    }

    private ProofClaims Verify(string proof, string? machineId)
    {
        EcPublicKey key = _machineKey() ?? throw new RpcException(FleetErrorCodes.InvalidProof, "no key");
        if (!ProofReader.TryVerify(proof, key, out _, out ProofClaims? claims) || claims is null)
        {
            throw new RpcException(FleetErrorCodes.InvalidProof, "The proof's signature does not verify.");
        }

        if (claims.Audience != Url)
        {
            throw new RpcException(FleetErrorCodes.InvalidProof, $"aud {claims.Audience} is not {Url}.");
        }

        if (!_nonces.TryRemove(claims.Nonce, out _))
        {
            throw new RpcException(FleetErrorCodes.NonceRejected, "The nonce was not issued here or was used already.");
        }

        if (claims.TlsCertificateSha256 != ExpectedChannelBinding)
        {
            throw new RpcException(FleetErrorCodes.ChannelBindingMismatch, "cb is not the certificate this server presented.");
        }

        if (claims.MachineId != machineId)
        {
            throw new RpcException(FleetErrorCodes.UnknownMachine, "Unknown machine.");
        }

        ChannelBindings.Enqueue(claims.TlsCertificateSha256);
        return claims;
    }

    private EnrollResult Result(ProofClaims? claims)
    {
        EcPublicKey key = _machineKey()!;
        DateTimeOffset now = _time.GetUtcNow();
        int generation = Interlocked.Increment(ref _certificateGeneration);
        DateTimeOffset notAfter = now + CertificateLifetime;
        string certificate = _certificates.IssueMachineCertificate(key.Parameters, "spiffe://test.example/machine/m-1", now.AddMinutes(-1).AddSeconds(-generation), notAfter);
        return _lastIssued = new EnrollResult
        {
            MachineId = "m-1",
            SpiffeId = "spiffe://test.example/machine/m-1",
            Certificate = certificate,
            CaCertificate = _certificates.CaPem,
            NotAfter = notAfter.ToUnixTimeSeconds(),
            RenewAfter = (now + CertificateLifetime / 2).ToUnixTimeSeconds(),
            AttestationLevel = AttestationLevels.Software,
            Grants = ["fleet:member"],
        };
    }

    private sealed class ConnectionState
    {
        public bool Authenticated { get; set; }
    }
}
