using System.Net.Sockets;

namespace Launcher.Platform.Ipc;

/// <summary>
/// Who is on the other end of a Unix socket, as the kernel says: never taken from a message.
/// On macOS <see cref="AuditToken"/> holds the 32-byte audit_token_t read right after accept (for code-signing
/// checks); elsewhere it is empty.
/// </summary>
internal sealed partial record PeerCredentials(int Pid, uint Uid, uint Gid, ReadOnlyMemory<byte> AuditToken)
{
    /// <summary>Reads the peer's credentials from a connected Unix stream socket.</summary>
    public static PeerCredentials Get(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (OperatingSystem.IsLinux())
        {
            return GetLinux(socket);
        }

        if (OperatingSystem.IsMacOS())
        {
            return GetMacOS(socket);
        }

        throw new PlatformNotSupportedException("Peer credentials are read on Linux and macOS only.");
    }
}
