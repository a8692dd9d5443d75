using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

internal sealed partial record PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }

    [SupportedOSPlatform("linux")]
    private static PeerCredentials GetLinux(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[UcredSize];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length != UcredSize)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]),
            ReadOnlyMemory<byte>.Empty);
    }
}
