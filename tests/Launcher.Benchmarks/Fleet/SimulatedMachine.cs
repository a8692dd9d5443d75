using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Fleet;

/// <summary>
/// One simulated machine of the load generator: a software P-256 key, a real ClientWebSocket over TLS with the
/// fleet CA pinned, the project's engine on the contracts' WebSocket transport, and the handshake of
/// docs/fleet-protocol.md (fleet/challenge, then fleet/enroll or fleet/authenticate with a machine proof whose cb
/// is the certificate this connection saw). Its daemon side answers notification/send and reports <c>shown</c>.
/// </summary>
internal sealed class SimulatedMachine : IAsyncDisposable
{
    /// <summary>The uid the simulated daemon reports outcomes for (one logged-in user).</summary>
    public const uint UserId = 1000;

    private static readonly RpcLimits s_limits = new() { FirstMessageTimeout = Timeout.InfiniteTimeSpan, IdleTimeout = null };
    private static readonly RpcHandlerTable s_handlers = new RpcHandlerTable()
        .Add(FleetMethods.NotificationSend, (context, request, _) =>
        {
            var machine = (SimulatedMachine)context.Connection.State!;
            machine.OnNotification(request);
            return ValueTask.FromResult(new FleetNotificationResult { Accepted = true });
        });

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private TaskCompletionSource<string> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedMachine(int index)
    {
        PublicKey = EcPublicKey.FromSpki(_key.ExportSubjectPublicKeyInfo());
        Facts = new FleetFacts
        {
            Serial = $"BENCH-{index:D6}",
            HardwareUuid = Guid.NewGuid().ToString(),
            Model = "Bench",
            OsName = "Linux",
            OsVersion = "6",
            Hostname = $"bench-{index}",
        };
    }

    public EcPublicKey PublicKey { get; }

    public FleetFacts Facts { get; }

    public string? MachineId { get; private set; }

    /// <summary>The authenticated link (after <see cref="AuthenticateAsync"/>).</summary>
    public JsonRpcConnection? Link { get; private set; }

    /// <summary>Completes with the notification id once the server has answered this machine's notification/outcome.</summary>
    public Task<string> OutcomeAcknowledged => _outcome.Task;

    /// <summary>Times a connect or handshake call failed and was tried again.</summary>
    public int Retries { get; private set; }

    /// <summary>The first failure that was tried again (type and message), for the report.</summary>
    public string? FirstRetryReason { get; private set; }

    public void ResetOutcome() => _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A real enrolment on its own connection, which is then closed.</summary>
    public async Task EnrolAsync(Uri server, PinnedCa trust, string token, CancellationToken cancellationToken)
    {
        await RetryAsync(async () =>
        {
            (JsonRpcConnection link, string cb) = await ConnectAsync(server, trust, cancellationToken).ConfigureAwait(false);
            await using (link.ConfigureAwait(false))
            {
                ChallengeResult challenge = await link.InvokeAsync(FleetMethods.Challenge, EmptyParams.Instance, cancellationToken).ConfigureAwait(false);
                EnrollResult result = await link.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = Proof(challenge, cb, null), Facts = Facts }, cancellationToken).ConfigureAwait(false);
                MachineId = result.MachineId;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Connects and authenticates as the enrolled machine; the connection stays open.</summary>
    public async Task AuthenticateAsync(Uri server, PinnedCa trust, CancellationToken cancellationToken)
    {
        string machineId = MachineId ?? throw new InvalidOperationException("Not enrolled.");
        await RetryAsync(async () =>
        {
            (JsonRpcConnection link, string cb) = await ConnectAsync(server, trust, cancellationToken).ConfigureAwait(false);
            try
            {
                ChallengeResult challenge = await link.InvokeAsync(FleetMethods.Challenge, EmptyParams.Instance, cancellationToken).ConfigureAwait(false);
                EnrollResult result = await link.InvokeAsync(FleetMethods.Authenticate, new AuthenticateParams { Proof = Proof(challenge, cb, machineId) }, cancellationToken).ConfigureAwait(false);
                if (result.MachineId != machineId)
                {
                    throw new InvalidOperationException($"Authenticated as {result.MachineId}, enrolled as {machineId}.");
                }

                Link = link;
            }
            catch
            {
                await link.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Link is not null)
        {
            await Link.DisposeAsync().ConfigureAwait(false);
        }

        _key.Dispose();
    }

    private async Task<(JsonRpcConnection Link, string ChannelBinding)> ConnectAsync(Uri server, PinnedCa trust, CancellationToken cancellationToken)
    {
        string? seen = null;
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(FleetLimits.DaemonKeepAliveSeconds);

        // A handler of its own per connection, as ClientWebSocket makes one when given a certificate callback; the
        // upgraded connection leaves the handler's pool, so disposing the handler after the upgrade keeps it open.
        using var handler = new SocketsHttpHandler { SslOptions = trust.Options(server.Host, cb => seen = cb) };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            await socket.ConnectAsync(new UriBuilder(server) { Scheme = "wss", Path = "/v1/daemon" }.Uri, invoker, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var link = new JsonRpcConnection(new WebSocketTransport(socket, RpcLimits.Default), s_handlers, s_limits) { Name = "bench machine", State = this };
        link.Start();
        return (link, seen!);
    }

    private string Proof(ChallengeResult challenge, string channelBinding, string? machineId)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new ProofClaims
        {
            Audience = challenge.Audience,
            Nonce = challenge.Nonce,
            IssuedAt = now,
            ExpiresAt = now + 120,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = KeyClasses.Software,
            MachineId = machineId,
            TlsCertificateSha256 = channelBinding,
        };
        return ProofWriter.Create(ProofFormat.MachineProofType, PublicKey, claims, digest => _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private void OnNotification(FleetNotificationParams request)
    {
        // Answer notification/send first (the handler returns), then report the outcome, as the daemon does.
        TaskCompletionSource<string> outcome = _outcome;
        _ = Task.Run(async () =>
        {
            try
            {
                JsonRpcConnection link = Link ?? throw new InvalidOperationException("No link.");
                await link.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams
                {
                    Id = request.Id,
                    Uid = request.Uid ?? UserId,
                    Outcome = FleetOutcomes.Shown,
                    At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                }).ConfigureAwait(false);
                outcome.TrySetResult(request.Id);
            }
            catch (Exception ex) when (ex is RpcException or RpcConnectionLostException or InvalidOperationException or TimeoutException)
            {
                outcome.TrySetException(ex);
            }
        });
    }

    private async Task RetryAsync(Func<Task> attempt)
    {
        for (int tries = 1; ; tries++)
        {
            try
            {
                await attempt().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (tries < 5 && ex is WebSocketException or RpcConnectionLostException or IOException or TimeoutException
                or RpcException { Code: FleetErrorCodes.Overloaded })
            {
                Retries++;
                FirstRetryReason ??= ex.GetType().Name + ": " + ex.Message;
                await Task.Delay(200 * tries).ConfigureAwait(false);
            }
        }
    }
}
