namespace Launcher.Agent.Connection;

/// <summary>
/// Whether the process behind the daemon socket may receive this agent's registration. The kernel's uid is the
/// only evidence: anyone can create a socket at a path the agent was pointed at, but only root (or, for development,
/// the user themself or an explicitly named uid) is accepted as launcherd.
/// </summary>
internal static class DaemonTrust
{
    /// <summary>Null when <paramref name="daemonUid"/> is acceptable; otherwise the reason, for the log.</summary>
    public static string? Check(uint daemonUid, uint ownUid, uint? expectedDaemonUid)
    {
        if (daemonUid == 0 || daemonUid == ownUid || daemonUid == expectedDaemonUid)
        {
            return null;
        }

        string allowed = expectedDaemonUid is uint expected ? $"0, {ownUid} (this agent) or {expected} (--expect-daemon-uid)" : $"0 or {ownUid} (this agent)";
        return $"the process behind the socket runs as uid {daemonUid}; launcherd must run as uid {allowed}";
    }
}
