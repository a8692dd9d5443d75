namespace Launcher.Client;

/// <summary>Why connecting to the daemon's socket failed; each has its own advice for the user.</summary>
internal enum DaemonConnectFailure
{
    /// <summary>Nothing exists at the socket path: the daemon is not running, or the path is wrong.</summary>
    SocketMissing,

    /// <summary>The path exists but nobody accepts connections there (a stale socket of a daemon that died).</summary>
    Refused,

    /// <summary>The socket or a directory on its path denies this user access.</summary>
    PermissionDenied,

    /// <summary>The daemon did not accept within the connect timeout (its backlog is full, or it hangs).</summary>
    TimedOut,

    /// <summary>The path does not fit in sun_path.</summary>
    PathTooLong,

    /// <summary>The daemon's peer credentials are not acceptable (see the message).</summary>
    Untrusted,

    /// <summary>Any other socket error.</summary>
    Other,
}
