namespace Launcher.Contracts;

/// <summary>
/// The application error codes of the local API (docs/protocol.md lists them with their meaning). The engine's own
/// codes (-32700, -32600, -32601, -32602, -32603, -32000, -32800) are in <c>Launcher.Rpc.RpcErrorCodes</c>.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The caller's class may not call this method, or may not act on this object.</summary>
    public const int AccessDenied = 1001;

    /// <summary>No such object for this caller (also used where "exists but not yours" must not leak).</summary>
    public const int NotFound = 1002;

    /// <summary>The machine identity is not usable (state <c>lost</c> or the key store is unavailable).</summary>
    public const int IdentityUnavailable = 1003;

    /// <summary>The request conflicts with the current state (e.g. registering twice on one connection).</summary>
    public const int Conflict = 1004;

    /// <summary>A limit of the daemon was reached (connections per uid, queue sizes); retry later.</summary>
    public const int LimitReached = 1005;

    /// <summary>The agent could not do what was asked (no user key, presenter failed).</summary>
    public const int AgentFailed = 1006;

    /// <summary>
    /// The disk holding the daemon's state is full (SQLite's SQLITE_FULL, ENOSPC): nothing of the request was stored.
    /// Retry once space is freed; the daemon keeps serving everything that does not write.
    /// </summary>
    public const int StorageFull = 1007;

    /// <summary>The fleet server could not be reached, its TLS certificate was refused, or it answered outside the
    /// protocol (the message says which). Errors the server itself answered keep the server's code (2001-2010).</summary>
    public const int FleetUnreachable = 1008;

    /// <summary>This machine is not enrolled with a fleet server.</summary>
    public const int NotEnrolled = 1009;
}
