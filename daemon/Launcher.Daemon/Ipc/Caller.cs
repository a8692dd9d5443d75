using Launcher.Platform.Ipc;

namespace Launcher.Daemon.Ipc;

/// <summary>Who is calling, as the kernel said at accept time. Never built from a message.</summary>
internal sealed record Caller(uint Uid, uint Gid, int Pid, bool IsAdmin)
{
    /// <summary>Classifies a peer: root is admin; so is <paramref name="extraAdminUid"/> (dev mode's own uid).</summary>
    public static Caller FromPeer(PeerCredentials peer, uint? extraAdminUid)
    {
        ArgumentNullException.ThrowIfNull(peer);
        bool admin = peer.Uid == 0 || (extraAdminUid is uint extra && peer.Uid == extra);
        return new Caller(peer.Uid, peer.Gid, peer.Pid, admin);
    }

    public override string ToString() => $"uid {Uid} pid {Pid}";
}
