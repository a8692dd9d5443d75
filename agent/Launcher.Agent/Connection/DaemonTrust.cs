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

        string own = ownUid == 0 ? string.Empty : $", {ownUid} (this agent's)";
        string extra = expectedDaemonUid is uint expected ? $", {expected} (--expect-daemon-uid)" : string.Empty;
        string allowed = "0 (root)" + own + extra;
        return $"the process behind the socket runs as uid {daemonUid}; accepted: uid {allowed}";
    }
}
