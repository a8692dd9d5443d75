using Launcher.Contracts.Fleet;

namespace Launcher.Fleet;

/// <summary>Every limit and interval of the fleet server in one place.</summary>
internal sealed class FleetServerLimits
{
    /// <summary>Longest group name (enrolment tokens, broadcasts).</summary>
    public const int MaxGroupLength = 64;

    /// <summary>Connections upgraded but not yet authenticated, at once; over it the upgrade gets 503 + Retry-After.</summary>
    public int MaxUnauthenticatedConnections { get; init; } = 512;

    /// <summary>fleet/challenge nonces outstanding on one connection; a further challenge replaces the oldest.</summary>
    public int MaxChallengesPerConnection { get; init; } = 4;

    /// <summary>Authenticated machine connections on one instance.</summary>
    public int MaxConnections { get; init; } = 50_000;

    /// <summary>Time a connection has to authenticate before it is closed (1008).</summary>
    public TimeSpan AuthenticationDeadline { get; init; } = TimeSpan.FromSeconds(FleetLimits.AuthenticationDeadlineSeconds);

    /// <summary>WebSocket ping interval.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(FleetLimits.ServerKeepAliveSeconds);

    /// <summary>A peer that has not answered a ping within this is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(2 * FleetLimits.ServerKeepAliveSeconds);

    /// <summary>Lifetime of a machine certificate; renewal is due at half of it.</summary>
    public TimeSpan MachineCertificateLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often an instance refreshes its presence rows, sweeps undelivered work and expired nonces.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A presence row older than this (its instance stopped refreshing it) no longer counts as online.</summary>
    public TimeSpan PresenceStaleAfter { get; init; } = TimeSpan.FromSeconds(70);

    /// <summary>Bound on one server-to-daemon call (notification/send, machine/facts, identity/prove).</summary>
    public TimeSpan DaemonCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest HTTP request body of the API.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Most notifications delivered to one machine per sweep.</summary>
    public int DeliveryBatch { get; init; } = 100;

    /// <summary>
    /// Most machines one broadcast (<c>POST /api/v1/notifications</c>) may reach; a target with more is refused
    /// (400, nothing stored): send per group instead. All its rows are written in one transaction.
    /// </summary>
    public int MaxBroadcastMachines { get; init; } = 100_000;

    /// <summary><c>notification/send</c> calls of one broadcast in flight at once on one instance.</summary>
    public int BroadcastSendConcurrency { get; init; } = 256;

    /// <summary>Most delivery marks and outcomes written in one transaction by the group commit.</summary>
    public int AckBatch { get; init; } = 1000;

    /// <summary>Delivery marks and outcomes waiting for the group commit at most; a writer beyond it waits.</summary>
    public int AckQueue { get; init; } = 100_000;

    /// <summary>Most audit entries or machines in one API page.</summary>
    public int MaxPageSize { get; init; } = 500;

    /// <summary>Retry-After range (seconds) told to connections refused for load; jittered so they do not return together.</summary>
    public (int Min, int Max) RetryAfterSeconds { get; init; } = (5, 30);

    /// <summary>Lifetime of a web console session (absolute; logging in again starts a new one).</summary>
    public TimeSpan ConsoleSessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>
    /// An admin token's "last used" time is written at most this often per token (every API request and console page
    /// uses it; a write on each would cost more than the request). Revocation is unaffected: it is checked on every
    /// request.
    /// </summary>
    public TimeSpan AdminTokenLastUsedResolution { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Client addresses the console's sign-in throttle tracks at once (an IPv6 client counts by its /64);
    /// about 100 bytes each. When full, the entry idle longest makes room.</summary>
    public int SignInThrottleCapacity { get; init; } = 4096;

    /// <summary>Failed sign-ins from one address within <see cref="SignInFailureWindow"/> answered at once; each further one is answered after <see cref="SignInFailureDelay"/>.</summary>
    public int SignInFailuresBeforeDelay { get; init; } = 3;

    /// <summary>How long a failed sign-in beyond <see cref="SignInFailuresBeforeDelay"/> is held before its answer.</summary>
    public TimeSpan SignInFailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed sign-ins from one address within <see cref="SignInFailureWindow"/> after which that address is refused (429) for <see cref="SignInLockout"/>, even with a valid token.</summary>
    public int SignInFailuresBeforeLockout { get; init; } = 10;

    /// <summary>The window failed sign-ins are counted in (from the first failure).</summary>
    public TimeSpan SignInFailureWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an address that reached <see cref="SignInFailuresBeforeLockout"/> is refused.</summary>
    public TimeSpan SignInLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Rows in one page of the web console's machines and audit tables.</summary>
    public int ConsolePageSize { get; init; } = 50;

    /// <summary>The notification page refreshes itself this often while an outcome may still change.</summary>
    public TimeSpan ConsoleRefreshInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lifetime of a web console Data Protection key (antiforgery tokens are protected with it). Data Protection
    /// creates the next key two days before the current one expires, so every instance has read it before it is used.
    /// At least 7 days (Data Protection's minimum).
    /// </summary>
    public TimeSpan ConsoleKeyLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long after its expiry a console key is still read (an expired key no longer protects, but still reads what
    /// it protected, such as an antiforgery cookie of a browser left open) and then deleted by the sweeper.
    /// </summary>
    public TimeSpan ConsoleKeyGrace { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Most key ring elements (keys and revocations) one read of the console key ring returns, newest first. With
    /// 90-day keys there are two or three; the bound keeps a runaway table from being loaded whole.
    /// </summary>
    public int MaxConsoleKeyElements { get; init; } = 100;
}
