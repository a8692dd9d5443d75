using System.Net.Sockets;
using System.Text;
using Launcher.Platform.Ipc;

namespace Launcher.Platform.Tests.Ipc;

[Collection(nameof(SystemdNotifierTests))]
public sealed class SystemdNotifierTests
{
    [Fact(Timeout = 10000)]
    public async Task Notify_WithNotifySocket_SendsTheStateAsOneDatagram()
    {
        string directory = Directory.CreateTempSubdirectory("launcher-notify-").FullName;
        string path = Path.Combine(directory, "notify.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        string? previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);

            bool sent = SystemdNotifier.Notify("READY=1");

            var buffer = new byte[64];
            int received = await receiver.ReceiveAsync(buffer, SocketFlags.None);
            Assert.True(sent);
            Assert.Equal("READY=1", Encoding.UTF8.GetString(buffer, 0, received));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Notify_WithoutNotifySocket_DoesNothing()
    {
        string? previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);

            Assert.False(SystemdNotifier.Notify("READY=1"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
        }
    }
}
