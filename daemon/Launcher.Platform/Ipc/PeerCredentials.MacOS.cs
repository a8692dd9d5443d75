using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Launcher.Platform.Ipc;

internal sealed partial record PeerCredentials
{
    [SupportedOSPlatform("macos")]
    private static PeerCredentials GetMacOS(Socket socket)
    {
        throw new PlatformNotSupportedException("macOS peer credentials: filled in by the macOS work.");
    }
}
