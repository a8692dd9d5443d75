using Launcher.Contracts;
using Launcher.Client;
using Launcher.Rpc;

namespace Launcher.Ctl;

/// <summary>The one function that turns a failure into an exit code and a message that says what to do.</summary>
internal static class CtlErrors
{
    /// <summary>Null for an exception launcherctl does not expect (it then propagates: a bug, not a user error).</summary>
    public static CtlFailure? Map(Exception exception, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RpcException { Code: ErrorCodes.AccessDenied } denied =>
                new CtlFailure(CtlExitCodes.AccessDenied, $"launcherctl: {denied.Message} (code {denied.Code}): run as root (sudo)."),
            RpcException rpc =>
                new CtlFailure(CtlExitCodes.DaemonError, $"launcherctl: {rpc.Message} (code {rpc.Code})"),
            RpcTimeoutException timeout =>
                new CtlFailure(CtlExitCodes.Timeout, $"launcherctl: timeout: {timeout.Message} Raise --timeout, or check the daemon's log."),
            DaemonConnectException { Failure: DaemonConnectFailure.TimedOut } slow =>
                new CtlFailure(CtlExitCodes.Timeout, $"launcherctl: timeout: {slow.Message}"),
            DaemonConnectException connect =>
                new CtlFailure(CtlExitCodes.CannotConnect, $"launcherctl: cannot connect to launcherd: {connect.Message} {Advice(connect.Failure, socketPath)}"),
            RpcConnectionLostException lost =>
                new CtlFailure(CtlExitCodes.CannotConnect, $"launcherctl: launcherd closed the connection before answering ({lost.Message})."),
            System.Text.Json.JsonException malformed =>
                new CtlFailure(CtlExitCodes.DaemonError, $"launcherctl: the daemon's answer has an unexpected shape ({malformed.Message})"),
            _ => null,
        };
    }

    private static string Advice(DaemonConnectFailure failure, string socketPath) => failure switch
    {
        DaemonConnectFailure.PermissionDenied => "Run as root (sudo), or pass the right --socket.",
        DaemonConnectFailure.PathTooLong => "Use a shorter --socket path.",
        _ => $"Start it (as root: launcherd run; for development: launcherd run --dev, then --socket {DevSocketHint(socketPath)}), or pass --socket PATH.",
    };

    private static string DevSocketHint(string socketPath)
    {
        string dev = Path.Combine(".", Launcher.Platform.Ipc.DefaultPaths.DevDirectoryName, "launcherd.sock");
        return socketPath.EndsWith(Path.Combine(Launcher.Platform.Ipc.DefaultPaths.DevDirectoryName, "launcherd.sock"), StringComparison.Ordinal) ? socketPath : dev;
    }
}
