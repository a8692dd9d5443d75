namespace Launcher.Client;

/// <summary>Connecting to the daemon failed before any message was exchanged.</summary>
internal sealed class DaemonConnectException : Exception
{
    public DaemonConnectException(DaemonConnectFailure failure, string socketPath, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        SocketPath = socketPath;
    }

    public DaemonConnectFailure Failure { get; }

    public string SocketPath { get; }
}
