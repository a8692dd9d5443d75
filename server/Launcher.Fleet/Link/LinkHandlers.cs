using System.Net.WebSockets;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Push;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Link;

/// <summary>
/// The methods the server serves on <c>/v1/daemon</c>, in one table shared by every connection. One gate decides
/// for all of them: before authentication only the handshake methods run (the rest answer NotAuthenticated).
/// </summary>
internal sealed class LinkHandlers
{
    private readonly FleetContext _context;
    private readonly EnrolmentService _enrolment;
    private readonly SessionRegistry _sessions;
    private readonly PushService _push;
    private readonly AckWriter _acks;
    private readonly ILogger _logger;

    public LinkHandlers(FleetContext context, EnrolmentService enrolment, SessionRegistry sessions, PushService push, AckWriter acks, ILogger<LinkHandlers> logger)
    {
        _acks = acks;
        _context = context;
        _enrolment = enrolment;
        _sessions = sessions;
        _push = push;
        _logger = logger;
        Table = new RpcHandlerTable()
            .Add(FleetMethods.Challenge, Gate<EmptyParams, ChallengeResult>(handshake: true, (session, _, _) => Task.FromResult(_enrolment.Challenge(session.Nonces))))
            .Add(FleetMethods.Enroll, Gate<EnrollParams, EnrollResult>(handshake: true, EnrollAsync))
            .Add(FleetMethods.Activate, Gate<ActivateParams, EnrollResult>(handshake: true, ActivateAsync))
            .Add(FleetMethods.Authenticate, Gate<AuthenticateParams, EnrollResult>(handshake: true, AuthenticateAsync))
            .Add(FleetMethods.Renew, Gate<EmptyParams, RenewResult>(handshake: false, RenewAsync))
            .Add(FleetMethods.NotificationOutcome, Gate<OutcomeParams, EmptyParams>(handshake: false, OutcomeAsync));
    }

    public RpcHandlerTable Table { get; }

    private RpcHandler<TParams, TResult> Gate<TParams, TResult>(bool handshake, Func<LinkSession, TParams, CancellationToken, Task<TResult>> handler)
    {
        return async (context, parameters, cancellationToken) =>
        {
            var session = (LinkSession)context.Connection.State!;
            if (!handshake && !session.IsAuthenticated)
            {
                Log.HandshakeRefused(_logger, session.ConnectionId, session.Remote, context.Method, FleetErrorCodes.NotAuthenticated, "not authenticated");
                throw new RpcException(FleetErrorCodes.NotAuthenticated, "Authenticate first: fleet/challenge, then fleet/enroll or fleet/authenticate.");
            }

            try
            {
                return await handler(session, parameters, cancellationToken).ConfigureAwait(false);
            }
            catch (ProofRefusedException ex)
            {
                Log.HandshakeRefused(_logger, session.ConnectionId, session.Remote, context.Method, ex.Code, ex.Check);
                if (ex.Code == FleetErrorCodes.MachineRevoked)
                {
                    // Answer first, then close: the daemon learns why.
                    _ = CloseSoonAsync(session, "The machine is revoked.");
                }

                throw new RpcException(ex.Code, ex.Message);
            }
        };
    }

    private async Task<EnrollResult> EnrollAsync(LinkSession session, EnrollParams request, CancellationToken cancellationToken)
    {
        ThrowIfAuthenticated(session);
        ThrowIfFull();
        if (Interlocked.Exchange(ref session.PendingSlot, null) is not null)
        {
            throw new RpcException(ErrorCodes.Conflict, "An enrolment on this connection already waits for fleet/activate; that one is abandoned.");
        }

        (EnrollResult result, PendingEnrolment? pending) = await _enrolment.EnrollAsync(session.ConnectionId, session.ChannelBinding, session.Nonces, request, cancellationToken).ConfigureAwait(false);
        if (pending is not null)
        {
            session.PendingSlot = pending;
            return result;
        }

        await OnAuthenticatedAsync(session, result.MachineId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<EnrollResult> AuthenticateAsync(LinkSession session, AuthenticateParams request, CancellationToken cancellationToken)
    {
        ThrowIfAuthenticated(session);
        ThrowIfFull();
        (EnrollResult result, _) = await _enrolment.AuthenticateAsync(session.ChannelBinding, session.Nonces, request, cancellationToken).ConfigureAwait(false);
        await OnAuthenticatedAsync(session, result.MachineId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<EnrollResult> ActivateAsync(LinkSession session, ActivateParams request, CancellationToken cancellationToken)
    {
        ThrowIfAuthenticated(session);
        PendingEnrolment pending = Interlocked.Exchange(ref session.PendingSlot, null)
            ?? throw new RpcException(FleetErrorCodes.AttestationFailed, "No activation challenge is pending on this connection (send fleet/enroll with TPM evidence first).");
        ThrowIfFull();
        EnrollResult result = await _enrolment.ActivateAsync(session.ConnectionId, pending, request, cancellationToken).ConfigureAwait(false);
        await OnAuthenticatedAsync(session, result.MachineId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<RenewResult> RenewAsync(LinkSession session, EmptyParams request, CancellationToken cancellationToken)
    {
        MachineRow? machine = await _context.Machines.GetAsync(session.MachineId!, cancellationToken).ConfigureAwait(false);
        if (machine is null || machine.IsRevoked)
        {
            throw new ProofRefusedException(FleetErrorCodes.MachineRevoked, "revoked", "The machine is revoked.");
        }

        return await _enrolment.RenewAsync(machine, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EmptyParams> OutcomeAsync(LinkSession session, OutcomeParams request, CancellationToken cancellationToken)
    {
        if (!await _acks.ApplyOutcomeAsync(session.MachineId!, request, cancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(ErrorCodes.NotFound, "No notification with this id was sent to this machine.");
        }

        return EmptyParams.Instance;
    }

    private async Task OnAuthenticatedAsync(LinkSession session, string machineId, CancellationToken cancellationToken)
    {
        if (!session.TryAuthenticate(machineId))
        {
            throw new RpcException(ErrorCodes.Conflict, "This connection is already authenticated.");
        }

        _sessions.Release();
        session.Connection.IdleTimeout = null;
        if (_sessions.Register(machineId, session) is LinkSession previous)
        {
            Log.Replaced(_logger, previous.ConnectionId, machineId);
            _ = previous.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a newer connection of this machine.");
        }

        await _context.Presence.SetAsync(machineId, _context.InstanceId, session.ConnectionId, _context.NowMs, cancellationToken).ConfigureAwait(false);
        Log.Authenticated(_logger, session.ConnectionId, session.Remote, machineId);

        // Deliver what waited while the machine was away, once the handshake's answer is on its way.
        _ = Task.Run(async () =>
        {
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            await _push.ServeAsync(session).ConfigureAwait(false);
        }, CancellationToken.None);
    }

    private static void ThrowIfAuthenticated(LinkSession session)
    {
        if (session.IsAuthenticated)
        {
            throw new RpcException(ErrorCodes.Conflict, "This connection is already authenticated.");
        }
    }

    private void ThrowIfFull()
    {
        if (_sessions.Authenticated >= _context.Limits.MaxConnections)
        {
            int retry = Random.Shared.Next(_context.Limits.RetryAfterSeconds.Min, _context.Limits.RetryAfterSeconds.Max + 1);
            using JsonDocument data = JsonDocument.Parse($"{{\"retryAfterSeconds\":{retry}}}");
            throw new RpcException(FleetErrorCodes.Overloaded, "The server holds as many connections as it may; try again later.", data.RootElement.Clone());
        }
    }

    private static async Task CloseSoonAsync(LinkSession session, string reason)
    {
        await Task.Delay(200, CancellationToken.None).ConfigureAwait(false);
        await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, reason).ConfigureAwait(false);
    }
}
