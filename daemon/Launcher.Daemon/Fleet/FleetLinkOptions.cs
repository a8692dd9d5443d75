namespace Launcher.Daemon.Fleet;

/// <summary>The fleet link's timings and limits, all in one place.</summary>
internal sealed class FleetLinkOptions
{
    /// <summary>The first backoff ceiling after a failure.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The backoff ceiling's cap.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The random first delay after the daemon starts is uniform in [0, this].</summary>
    public TimeSpan FirstDelayMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP, TLS and the WebSocket upgrade together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Each handshake call (challenge, enroll, authenticate, renew); the server closes an unauthenticated
    /// connection after 10 s anyway.</summary>
    public TimeSpan HandshakeCallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>WebSocket ping toward the server (docs/fleet-protocol.md: 30 s, dropped after 60 s).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often queued outcomes are looked at without a wake-up (a safety net).</summary>
    public TimeSpan OutcomePollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Outcomes read from the queue per round.</summary>
    public int OutcomeBatch { get; init; } = 100;

    /// <summary>After a failed renewal, the next try.</summary>
    public TimeSpan RenewRetry { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of a notification the server sends (the server's protocol carries none).</summary>
    public TimeSpan NotificationLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The JSON-RPC limits on the link; calls from the server are few, so far fewer in flight.</summary>
    public Launcher.Rpc.RpcLimits Limits { get; init; } = new()
    {
        MaxRequestsInFlight = 32,
        MaxOutgoingCallsInFlight = 64,
        FirstMessageTimeout = Timeout.InfiniteTimeSpan,
        IdleTimeout = null,
    };
}
