using System.Net.Sockets;
using System.Text;

namespace Launcher.Platform.Ipc;

/// <summary>
/// The sd_notify protocol: one datagram to $NOTIFY_SOCKET ("READY=1", "STOPPING=1"), so a Type=notify unit knows
/// when the socket accepts connections. Without the variable (launchd, a terminal) it does nothing.
/// </summary>
internal static class SystemdNotifier
{
    public static bool Notify(string state)
    {
        string? path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        // A leading '@' names an abstract socket (a NUL byte on the wire).
        string address = path[0] == '@' ? "\0" + path[1..] : path;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(address));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
