using System.Net.Sockets;
using Launcher.Platform.Ipc;

namespace Launcher.Client;

/// <summary>Connects a Unix stream socket to the daemon with a bound on the wait, naming the cause of a failure.</summary>
internal static class DaemonSocket
{
    public static async Task<Socket> ConnectAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (UnixSocketPath.Check(path) is string tooLong)
        {
            throw new DaemonConnectException(DaemonConnectFailure.PathTooLong, path, tooLong);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using CancellationTokenSource bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), bound.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DaemonConnectException(DaemonConnectFailure.TimedOut, path, $"The daemon did not accept a connection on {path} within {timeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw Describe(path, ex);
        }
    }

    /// <summary>Maps a connect error to a failure kind and a message that says what to check.</summary>
    public static DaemonConnectException Describe(string path, SocketException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        bool exists = File.Exists(path) || Directory.Exists(path);
        DaemonConnectFailure failure = exception.SocketErrorCode switch
        {
            SocketError.AccessDenied => DaemonConnectFailure.PermissionDenied,
            SocketError.ConnectionRefused => DaemonConnectFailure.Refused,
            // ENOENT surfaces as AddressNotAvailable; check the file system to be sure either way.
            SocketError.AddressNotAvailable when !exists => DaemonConnectFailure.SocketMissing,
            _ when !exists => DaemonConnectFailure.SocketMissing,
            _ => DaemonConnectFailure.Other,
        };
        string message = failure switch
        {
            DaemonConnectFailure.SocketMissing => $"No daemon socket at {path}: launcherd is not running, or it listens elsewhere.",
            DaemonConnectFailure.Refused => $"Nothing accepts connections on {path}: launcherd is not running (a stale socket is left).",
            DaemonConnectFailure.PermissionDenied => $"Permission denied on {path} (the socket or its directory does not admit this user).",
            _ => $"Cannot connect to {path}: {exception.Message}",
        };
        return new DaemonConnectException(failure, path, message, exception);
    }
}
