namespace Launcher.Rpc;

/// <summary>
/// Every limit of the JSON-RPC engine and of the local API's connections in one place. Defaults suit a local daemon
/// with a thousand agents; each is configurable (the daemon binds them from its configuration section <c>Rpc</c>).
/// </summary>
public sealed record RpcLimits
{
    /// <summary>The defaults.</summary>
    public static RpcLimits Default { get; } = new();

    /// <summary>Largest message body in bytes, checked on the declared Content-Length before anything is allocated.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest single header line in bytes (including its CRLF).</summary>
    public int MaxHeaderLineBytes { get; init; } = 256;

    /// <summary>Largest header block in bytes (all lines and the blank line).</summary>
    public int MaxHeaderBytes { get; init; } = 1024;

    /// <summary>Deepest JSON nesting accepted in a message.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    /// <summary>Requests from the peer being handled at once on one connection; more are refused with an error.</summary>
    public int MaxRequestsInFlight { get; init; } = 128;

    /// <summary>Outgoing calls awaiting their response at once on one connection.</summary>
    public int MaxOutgoingCallsInFlight { get; init; } = 1024;

    /// <summary>Open connections a server accepts in total; further ones are refused and closed.</summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>Open connections per non-root uid, so one user cannot take every slot.</summary>
    public int MaxConnectionsPerUid { get; init; } = 1100;

    /// <summary>
    /// Of <see cref="MaxConnections"/>, the slots only admins (root) may take: however many connections other uids
    /// open, an admin can still connect to look and act. Scaled down with the connection caps (at most an eighth).
    /// </summary>
    public int AdminConnectionReserve { get; init; } = 64;

    /// <summary>
    /// File descriptors kept free for everything but connections (assemblies loaded later, the outbox's SQLite
    /// files, the key store, the one descriptor a refused connection briefly takes). The daemon sizes its
    /// connection caps as RLIMIT_NOFILE minus the descriptors open at start minus this headroom.
    /// </summary>
    public int FileDescriptorHeadroom { get; init; } = 128;

    /// <summary>
    /// Notifications being written to one agent connection at once in the background. A send to an agent with
    /// this many still being written does not queue another: the notification stays pending in the outbox and
    /// goes out with the next redelivery sweep.
    /// </summary>
    public int MaxDeliveriesInFlightPerAgent { get; init; } = 256;

    /// <summary>Time a new connection has to deliver its first complete message (<see cref="Timeout.InfiniteTimeSpan"/>:
    /// none, for clients, which speak first and may then wait for the server).</summary>
    public TimeSpan FirstMessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a connection may stay silent with nothing in flight before it is closed (null: never).</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Default bound on an outgoing call, from sending it to its response.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on writing one message to a peer that does not read.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a message may take to arrive once its first byte did (registered agents included): a peer
    /// cannot hold a half-sent message, and the memory it occupies, for longer.</summary>
    public TimeSpan MessageCompletionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of unfinished incoming messages all connections of one uid may hold at once; a connection
    /// whose next bytes would cross it is closed.</summary>
    public long MaxUnfinishedBytesPerUid { get; init; } = 16L * 1024 * 1024;

    /// <summary>Bytes of unfinished incoming messages all non-admin connections together may hold at once.</summary>
    public long MaxUnfinishedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The window of the peer-caused log budget (<see cref="MaxPeerLogLinesPerConnection"/>,
    /// <see cref="MaxPeerLogLinesPerUid"/>): lines over the budget are counted and summarised, not written.</summary>
    public TimeSpan PeerLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Log lines one connection's input (malformed or unknown messages, denials) may cause per interval.</summary>
    public int MaxPeerLogLinesPerConnection { get; init; } = 10;

    /// <summary>Log lines the input of all connections of one uid may cause per interval (the daemon shares this
    /// budget among a uid's connections).</summary>
    public int MaxPeerLogLinesPerUid { get; init; } = 40;
}
