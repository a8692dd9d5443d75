using System.Net.Sockets;
using System.Text;
using Launcher.Daemon.Dispatch;
using Launcher.Platform.Files;
using Launcher.Platform.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Ipc;

/// <summary>
/// The local API's Unix socket: binds it (removing a stale one only when no daemon answers there), accepts
/// connections, reads each caller's credentials from the kernel right after accept, and runs one JSON-RPC
/// connection per client. On stop it refuses new connections and gives in-flight calls a bounded grace.
/// </summary>
internal sealed class SocketListener : BackgroundService
{
    private const UnixFileMode SocketDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    // Everyone may connect: who they are comes from the kernel, and the dispatcher decides what they may do.
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly DaemonOptions _options;
    private readonly MethodRegistry _methods;
    private readonly SessionRegistry _sessions;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SocketListener> _logger;
    private readonly TimeProvider _time;
    private readonly ICodeSigningVerifier _codeSigning;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Cancelled at stop so checks still waiting give up; never disposed (it has no timer), so a check that finishes
    // late can still read it safely.
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private int _pendingChecks;

    public SocketListener(DaemonOptions options, MethodRegistry methods, SessionRegistry sessions, ILoggerFactory loggers, TimeProvider time, ICodeSigningVerifier codeSigning)
    {
        _codeSigning = codeSigning;
        _options = options;
        _methods = methods;
        _sessions = sessions;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SocketListener>();
        _time = time;
    }

    /// <summary>Completes once the socket accepts connections.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Reads a connection's peer credentials from the kernel; a seam so tests can feed what a Mac's kernel would.</summary>
    internal Func<Socket, PeerCredentials> ReadPeer { get; init; } = PeerCredentials.Get;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bind before the host reports started, so a failure stops the daemon with a clear error.
        _listener = Bind();
        _ready.TrySetResult();
        Log.Listening(_logger, DaemonInfo.Version, _options.SocketPath, _options.StateDirectory, _options.Dev);
        SystemdNotifier.Notify("READY=1");
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        SystemdNotifier.Notify("STOPPING=1");
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        IReadOnlyList<Session> sessions = _sessions.All();
        Log.Stopping(_logger, sessions.Count, _options.ShutdownGrace.TotalSeconds);
        await Task.WhenAll(sessions.Select(s => s.Connection.DrainAndCloseAsync(_options.ShutdownGrace, "the daemon is stopping"))).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        SecureFile.TryDelete(_options.SocketPath);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Socket listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: back off briefly instead of spinning.
                Log.AcceptFailed(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            Accept(client);
        }
    }

    private void Accept(Socket client)
    {
        PeerCredentials peer;
        try
        {
            peer = ReadPeer(client);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or ObjectDisposedException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: a credential structure the parser does not recognise (macOS xucred). It concerns
            // this one connection; it must never end the accept loop for everyone else.
            Log.PeerCredentialsFailed(_logger, ex);
            client.Dispose();
            return;
        }

        Caller caller = Caller.FromPeer(peer, _options.ExtraAdminUid);
        if (caller.IsAdmin || !_codeSigning.IsEnforced)
        {
            Serve(client, caller);
            return;
        }

        // Security.framework may take its time (disk reads of the peer's code, a busy system at boot): the check
        // runs off the accept loop, so one slow client never stalls the others, and is bounded.
        _ = CheckCodeSigningThenServeAsync(client, peer, caller);
    }

    private async Task CheckCodeSigningThenServeAsync(Socket client, PeerCredentials peer, Caller caller)
    {
        if (Interlocked.Increment(ref _pendingChecks) > _options.MaxPendingCodeSigningChecks)
        {
            Interlocked.Decrement(ref _pendingChecks);
            Refuse(client, caller, $"{_options.MaxPendingCodeSigningChecks} connections already wait for a code-signing check");
            return;
        }

        Task<(bool Satisfied, string Reason)> check = Task.Run(() => (_codeSigning.Satisfies(peer, out string why), why));

        // The slot is released when the check itself ends, not at the bound: checks that hang keep their slots, so
        // they cannot pile up threads without limit.
        _ = check.ContinueWith(_ => Interlocked.Decrement(ref _pendingChecks), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        bool satisfied;
        string reason;
        try
        {
            (satisfied, reason) = await check.WaitAsync(_options.CodeSigningCheckTimeout, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.CodeSigningCheckTimedOut(_logger, caller.ToString(), _options.CodeSigningCheckTimeout.TotalSeconds);
            RefuseAndClose(client, $"the client's code-signing check did not finish within {_options.CodeSigningCheckTimeout.TotalSeconds:0.###} s");
            client.Dispose();
            return;
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The verifier reports by its return value; anything thrown is a fault in it, which denies this client only.
            Log.CodeSigningCheckFailed(_logger, caller.ToString(), ex);
            RefuseAndClose(client, "the client's code signature could not be checked");
            client.Dispose();
            return;
        }

        if (!satisfied)
        {
            // Checked before a single request byte is read (see docs/macos.md on audit-token timing).
            Log.ConnectionRefused(_logger, caller.ToString(), reason);
            RefuseAndClose(client, "the client's code signature does not satisfy the daemon's requirement");
            client.Dispose();
            return;
        }

        if (_stopping.IsCancellationRequested)
        {
            client.Dispose();
            return;
        }

        Serve(client, caller);
    }

    private void Refuse(Socket client, Caller caller, string reason)
    {
        Log.ConnectionRefused(_logger, caller.ToString(), reason);
        RefuseAndClose(client, reason);
        client.Dispose();
    }

    private void Serve(Socket client, Caller caller)
    {
        var transport = new HeaderDelimitedTransport(new NetworkStream(client, ownsSocket: true), _options.Limits);
        var connection = new JsonRpcConnection(transport, _methods.Table, _options.Limits, _loggers.CreateLogger("Launcher.Rpc"), _time)
        {
            Name = caller.ToString(),
        };
        var session = new Session(caller, connection);
        connection.State = session;
        if (!_sessions.TryAdd(session, _options.Limits.MaxConnections, _options.Limits.MaxConnectionsPerUid, out string? reason))
        {
            Log.ConnectionRefused(_logger, caller.ToString(), reason!);
            RefuseAndClose(client, reason!);
            _ = connection.DisposeAsync().AsTask();
            return;
        }

        Log.ConnectionOpened(_logger, caller.ToString());
        connection.Start();
        _ = connection.Completion.ContinueWith(
            async _ =>
            {
                _sessions.Remove(session);
                Log.ConnectionEnded(_logger, caller.ToString(), connection.CloseReason ?? "closed");
                await connection.DisposeAsync().ConfigureAwait(false);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void RefuseAndClose(Socket client, string reason)
    {
        // One framed error so the client learns why, then the connection ends.
        string body = $$$"""{"jsonrpc":"2.0","id":null,"error":{"code":{{{RpcErrorCodes.ServerBusy}}},"message":"Connection refused: {{{reason}}}."}}""";
        byte[] json = Encoding.UTF8.GetBytes(body);
        byte[] header = Encoding.ASCII.GetBytes($"Content-Length: {json.Length}\r\n\r\n");
        try
        {
            client.Blocking = false;
            client.Send([new ArraySegment<byte>(header), new ArraySegment<byte>(json)], SocketFlags.None);
        }
        catch (SocketException)
        {
            // The peer may be gone already; closing is all that is left.
        }
    }

    private Socket Bind()
    {
        string path = _options.SocketPath;
        if (UnixSocketPath.Check(path) is string tooLong)
        {
            throw new InvalidOperationException(tooLong);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        StateDirectory.Ensure(directory, SocketDirectoryMode, _options.Dev ? null : 0u);
        RemoveStaleSocket(path);

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, SocketMode);
            listener.Listen(1024);
        }
        catch (Exception)
        {
            listener.Dispose();
            throw;
        }

        return listener;
    }

    private void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path) && !SecureFile.IsSymbolicLink(path))
        {
            return;
        }

        (_, _, _, bool isSocket) = FileStatus.LStat(path);
        if (!isSocket)
        {
            throw new InvalidOperationException($"{path} exists and is not a socket; refusing to replace it.");
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new InvalidOperationException($"Another daemon is answering on {path}; refusing to start a second one.");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
            {
                // Nobody listens: the file is left over from a daemon that died.
            }
        }

        File.Delete(path);
        Log.StaleSocketRemoved(_logger, path);
    }
}
