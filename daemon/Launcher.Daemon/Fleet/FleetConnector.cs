using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts.Fleet;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// Opens the WebSocket to <c>wss://server/v1/daemon</c>: TLS validated against the pinned CA (or the system trust),
/// keepalive pings, and the server's leaf certificate captured for <c>cb</c>. Every failure becomes a
/// <see cref="FleetLinkException"/> whose message says what went wrong (and the server's Retry-After, if any).
/// </summary>
internal sealed class FleetConnector
{
    private readonly FleetLinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public FleetConnector(FleetLinkOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _loggers = loggers;
    }

    public async Task<FleetConnection> ConnectAsync(FleetServerUrl server, X509Certificate2Collection? pinnedCa, RpcHandlerTable handlers, CancellationToken cancellationToken)
    {
        var check = new ServerCertificateCheck(pinnedCa);
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = check.Validate;
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("User-Agent", "launcherd/" + DaemonInfo.Version);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(server.WebSocket, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            FleetLinkException failure = Describe(server, socket, check, ex);
            socket.Dispose();
            throw failure;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping or restarting: whatever the socket threw, the caller sees a cancellation.
            socket.Dispose();
            throw new OperationCanceledException(cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (check.LeafDer is null)
        {
            socket.Abort();
            socket.Dispose();
            throw new FleetLinkException($"The connection to {server} carried no TLS server certificate.");
        }

        string channelBinding;
        using (X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(check.LeafDer))
        {
            channelBinding = FleetChannelBinding.Of(leaf);
        }

        var connection = new FleetConnection(server, channelBinding);
        var transport = new StrictJsonTransport(new WebSocketTransport(socket, _options.Limits), _options.Limits.MaxJsonDepth);
        connection.Rpc = new JsonRpcConnection(transport, handlers, _options.Limits, _loggers.CreateLogger("Launcher.Daemon.Fleet.Link"), _time)
        {
            Name = "fleet " + server.Audience,
            State = connection,
        };
        connection.Rpc.Start();
        return connection;
    }

    private static FleetLinkException Describe(FleetServerUrl server, ClientWebSocket socket, ServerCertificateCheck check, Exception ex)
    {
        if (check.Failure is not null)
        {
            return new FleetLinkException($"TLS refused: {check.Failure} ({server}).", inner: ex);
        }

        if (ex is OperationCanceledException)
        {
            return new FleetLinkException($"Connecting to {server} timed out.", inner: ex);
        }

        HttpStatusCode status = socket.HttpStatusCode;
        if (status == HttpStatusCode.ServiceUnavailable || status == HttpStatusCode.TooManyRequests)
        {
            TimeSpan? retryAfter = RetryAfter(socket.HttpResponseHeaders);
            string after = retryAfter is TimeSpan t ? $"; it asks to retry after {t.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s" : string.Empty;
            return new FleetLinkException($"The fleet server {server} is busy (HTTP {(int)status}){after}.", retryAfter: retryAfter, inner: ex);
        }

        if (status != 0)
        {
            return new FleetLinkException($"The fleet server {server} refused the WebSocket upgrade (HTTP {(int)status}); is {server.WebSocket} a Launcher fleet server?", inner: ex);
        }

        // The innermost message names the cause: refused, unreachable, name not resolved, TLS alert.
        Exception inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return new FleetLinkException($"Cannot reach the fleet server {server}: {inner.Message}", inner: ex);
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        foreach ((string name, IEnumerable<string> values) in headers)
        {
            if (!name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? value = values.FirstOrDefault()?.Trim();
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
            {
                TimeSpan wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }
}
