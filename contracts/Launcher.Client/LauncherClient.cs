using System.Net.Sockets;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;
using Launcher.Platform.Ipc;
using Launcher.Rpc;

namespace Launcher.Client;

/// <summary>
/// A typed client of the daemon's local API over one JSON-RPC connection: the one copy launcherctl, the agent, the
/// tests and the benchmarks use. Errors arrive as the engine's exceptions: <see cref="RpcException"/> (the daemon
/// answered with an error), <see cref="RpcTimeoutException"/>, <see cref="RpcConnectionLostException"/>, and
/// <see cref="DaemonConnectException"/> from <see cref="ConnectAsync"/>.
/// </summary>
internal sealed class LauncherClient : IAsyncDisposable
{
    private readonly TimeSpan _callTimeout;

    /// <summary>Wraps a started connection (a socket's, or an in-memory pipe's in tests).</summary>
    public LauncherClient(JsonRpcConnection connection, PeerCredentials? daemon, TimeSpan callTimeout)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Daemon = daemon;
        _callTimeout = callTimeout;
    }

    public JsonRpcConnection Connection { get; }

    /// <summary>The daemon's credentials as the kernel reported them at connect; null over a pipe.</summary>
    public PeerCredentials? Daemon { get; }

    /// <summary>Connects, checks the daemon's credentials when asked to, and starts the connection.</summary>
    /// <exception cref="DaemonConnectException">No connection, or the daemon was refused.</exception>
    public static async Task<LauncherClient> ConnectAsync(LauncherClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Socket socket = await DaemonSocket.ConnectAsync(options.SocketPath, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        PeerCredentials peer;
        try
        {
            peer = options.ReadPeer(socket);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or ObjectDisposedException or InvalidDataException or UnauthorizedAccessException)
        {
            // InvalidDataException: a credential structure the parser does not recognise (macOS xucred);
            // UnauthorizedAccessException: the daemon's audit token disagrees with its socket credentials. Either way
            // the daemon cannot be identified, which is a refusal to connect, not a crash of the caller.
            socket.Dispose();
            throw new DaemonConnectException(DaemonConnectFailure.Other, options.SocketPath, $"Cannot read the credentials of the process behind {options.SocketPath}: {ex.Message}", ex);
        }

        if (options.VerifyDaemon?.Invoke(peer) is string refusal)
        {
            socket.Dispose();
            throw new DaemonConnectException(DaemonConnectFailure.Untrusted, options.SocketPath, refusal);
        }

        var transport = new HeaderDelimitedTransport(new NetworkStream(socket, ownsSocket: true), options.Limits);
        var connection = new JsonRpcConnection(transport, options.Handlers, options.Limits, options.Logger, options.TimeProvider)
        {
            Name = $"launcherd uid {peer.Uid} pid {peer.Pid}",
        };
        connection.Start();
        return new LauncherClient(connection, peer, options.CallTimeout);
    }

    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.DaemonStatus, EmptyParams.Instance, cancellationToken);

    public Task<SendNotificationResult> NotifyAsync(SendNotificationParams request, CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.NotificationSend, request, cancellationToken);

    public Task<IdentityResult> IdentityGetAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.IdentityGet, EmptyParams.Instance, cancellationToken);

    public Task<ProveResult> ProveAsync(string audience, string nonce, CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = audience, Nonce = nonce }, cancellationToken);

    /// <summary>Replaces the machine key: the caller has already confirmed that the old identity is gone for good.</summary>
    public Task<IdentityResult> ResetAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.IdentityReset, new ResetIdentityParams { Confirm = true }, cancellationToken);

    public Task<RegisterResult> RegisterAsync(RegisterParams request, CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.AgentRegister, request, cancellationToken);

    public Task<AckNotificationResult> AckAsync(AckNotificationParams request, CancellationToken cancellationToken = default) =>
        InvokeAsync(Methods.NotificationAck, request, cancellationToken);

    /// <summary>Calls a method and returns its result object exactly as the daemon sent it (fields this build does not know included).</summary>
    public Task<JsonElement> InvokeRawAsync<TParams, TResult>(RpcMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var raw = new RpcMethod<TParams, JsonElement>(method.Name, method.ParamsType, ClientJsonContext.Default.JsonElement);
        return Connection.InvokeAsync(raw, parameters, cancellationToken, _callTimeout);
    }

    public Task<TResult> InvokeAsync<TParams, TResult>(RpcMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken = default) =>
        Connection.InvokeAsync(method, parameters, cancellationToken, _callTimeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // The engine's transport flushes leftover bytes into a stream that Close already disposed (reported to
            // the engine's owners); the connection is closed either way, and a caller must not fail for it.
        }
    }
}
