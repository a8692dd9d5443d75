using System.Net.WebSockets;
using System.Security.Cryptography;
using Launcher.Fleet.Services;
using Launcher.Rpc;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Link;

/// <summary>
/// <c>GET /v1/daemon</c>: the WebSocket upgrade of a machine's link. Bounds unauthenticated connections (503 with
/// Retry-After over the bound), sets the keepalive, and closes a connection that does not authenticate in time.
/// </summary>
internal sealed class DaemonEndpoint
{
    private readonly FleetContext _context;
    private readonly SessionRegistry _sessions;
    private readonly LinkHandlers _handlers;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly RpcLimits _rpcLimits;

    public DaemonEndpoint(FleetContext context, SessionRegistry sessions, LinkHandlers handlers, ILoggerFactory loggers)
    {
        _context = context;
        _sessions = sessions;
        _handlers = handlers;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DaemonEndpoint>();
        _rpcLimits = new RpcLimits
        {
            // Backstops only: the authentication deadline closes first, with 1008 and a reason.
            FirstMessageTimeout = context.Limits.AuthenticationDeadline + TimeSpan.FromSeconds(5),
            IdleTimeout = context.Limits.AuthenticationDeadline + TimeSpan.FromSeconds(5),
            CallTimeout = context.Limits.DaemonCallTimeout,
        };
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Launcher.Fleet.Api.Problems.Write(http, StatusCodes.Status400BadRequest, "WebSocket upgrade required", "/v1/daemon is the machines' WebSocket endpoint (docs/fleet-protocol.md).").ConfigureAwait(false);
            return;
        }

        string remote = http.Connection.RemoteIpAddress + ":" + http.Connection.RemotePort;
        if (!_sessions.TryAdmit())
        {
            int retry = Random.Shared.Next(_context.Limits.RetryAfterSeconds.Min, _context.Limits.RetryAfterSeconds.Max + 1);
            Log.Overloaded(_logger, remote, _sessions.Unauthenticated, retry);
            http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Launcher.Fleet.Api.Problems.Write(http, StatusCodes.Status503ServiceUnavailable, "Overloaded", $"Too many connections are authenticating; retry after {retry} s.").ConfigureAwait(false);
            return;
        }

        LinkSession? session = null;
        try
        {
            string channelBinding = ChannelBindingOf(http);
            WebSocket socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = _context.Limits.KeepAliveInterval,
                KeepAliveTimeout = _context.Limits.KeepAliveTimeout,
            }).ConfigureAwait(false);
            string connectionId = "c_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var transport = new WebSocketTransport(socket, _rpcLimits);
            var connection = new JsonRpcConnection(transport, _handlers.Table, _rpcLimits, _loggers.CreateLogger<JsonRpcConnection>(), _context.Time)
            {
                Name = $"link {connectionId} {remote}",
            };
            session = new LinkSession(connectionId, channelBinding, transport, connection, remote, _context.Limits.MaxChallengesPerConnection);
            connection.State = session;
            connection.Start();
            _ = EnforceDeadlineAsync(session);
            await connection.Completion.ConfigureAwait(false);
            Log.LinkClosed(_logger, connectionId, connection.CloseReason ?? "closed");
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (session?.MachineId is string machineId)
            {
                if (_sessions.Remove(machineId, session))
                {
                    await _context.Presence.RemoveAsync(machineId, session.ConnectionId, CancellationToken.None).ConfigureAwait(false);
                }
            }
            else
            {
                // Never authenticated: its slot among the unauthenticated connections comes back.
                _sessions.Release();
            }
        }
    }

    private async Task EnforceDeadlineAsync(LinkSession session)
    {
        try
        {
            await Task.Delay(_context.Limits.AuthenticationDeadline, _context.Time, session.Connection.Closed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!session.IsAuthenticated)
        {
            Log.AuthenticationDeadline(_logger, session.ConnectionId, _context.Limits.AuthenticationDeadline.TotalSeconds);
            await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Not authenticated in time.").ConfigureAwait(false);
        }
    }

    /// <summary>base64url SHA-256 of the certificate Kestrel presented on this connection.</summary>
    private string ChannelBindingOf(HttpContext http)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate? presented = http.Features.Get<ISslStreamFeature>()?.SslStream.LocalCertificate;
        return presented is null
            ? _context.Pki.TlsCertificateHash
            : Launcher.Contracts.Fleet.FleetChannelBinding.Of(presented);
    }
}
