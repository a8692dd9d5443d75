namespace Launcher.Daemon.Fleet;

/// <summary>
/// A connection attempt to the fleet server failed before or during authentication. <see cref="Exception.Message"/>
/// is safe to show an admin; <see cref="ServerCode"/> is the server's error code when the server answered with one;
/// <see cref="RetryAfter"/> is the server's "retry after" (Overloaded, HTTP 503).
/// </summary>
internal sealed class FleetLinkException : Exception
{
    public FleetLinkException(string message, int? serverCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        ServerCode = serverCode;
        RetryAfter = retryAfter;
    }

    public int? ServerCode { get; }

    public TimeSpan? RetryAfter { get; }
}
