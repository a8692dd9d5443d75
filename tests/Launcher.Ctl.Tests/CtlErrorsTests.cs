using System.Net.Sockets;
using Launcher.Contracts;
using Launcher.Client;
using Launcher.Rpc;

namespace Launcher.Ctl.Tests;

public sealed class CtlErrorsTests
{
    private const string Socket = "/run/launcher/launcherd.sock";

    public static TheoryData<Exception, int> Cases => new()
    {
        { new RpcException(ErrorCodes.AccessDenied, "denied"), CtlExitCodes.AccessDenied },
        { new RpcException(ErrorCodes.IdentityUnavailable, "lost"), CtlExitCodes.DaemonError },
        { new RpcException(RpcErrorCodes.InvalidParams, "bad"), CtlExitCodes.DaemonError },
        { new RpcTimeoutException("daemon/status", TimeSpan.FromSeconds(1)), CtlExitCodes.Timeout },
        { new DaemonConnectException(DaemonConnectFailure.TimedOut, Socket, "slow"), CtlExitCodes.Timeout },
        { new DaemonConnectException(DaemonConnectFailure.SocketMissing, Socket, "missing"), CtlExitCodes.CannotConnect },
        { new DaemonConnectException(DaemonConnectFailure.Refused, Socket, "refused"), CtlExitCodes.CannotConnect },
        { new DaemonConnectException(DaemonConnectFailure.PermissionDenied, Socket, "denied"), CtlExitCodes.CannotConnect },
        { new RpcConnectionLostException("gone"), CtlExitCodes.CannotConnect },
        { new System.Text.Json.JsonException("shape"), CtlExitCodes.DaemonError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Map_KnownFailure_GivesDocumentedExitCode(Exception exception, int expected)
    {
        Assert.Equal(expected, CtlErrors.Map(exception, Socket)!.ExitCode);
    }

    [Fact]
    public void Map_UnexpectedException_IsNotSwallowed()
    {
        Assert.Null(CtlErrors.Map(new NullReferenceException(), Socket));
    }

    [Fact]
    public void Map_DaemonError_PrintsMessageAndCode()
    {
        Assert.Equal("launcherctl: lost (code 1003)", CtlErrors.Map(new RpcException(ErrorCodes.IdentityUnavailable, "lost"), Socket)!.Message);
    }

    [Fact]
    public void Map_AccessDenied_SuggestsSudo()
    {
        Assert.Contains("run as root (sudo)", CtlErrors.Map(new RpcException(ErrorCodes.AccessDenied, "denied"), Socket)!.Message);
    }

    [Fact]
    public void Map_SocketMissing_SuggestsDevDaemonAndSocketOption()
    {
        string message = CtlErrors.Map(new DaemonConnectException(DaemonConnectFailure.SocketMissing, Socket, "No daemon socket."), Socket)!.Message;

        Assert.Contains("launcherd run --dev", message);
        Assert.Contains("--socket", message);
    }

    [Fact(Timeout = 10000)]
    public async Task Describe_RealMissingSocket_IsSocketMissing()
    {
        string path = Path.Combine("/tmp", "lct-" + Guid.NewGuid().ToString("N")[..8] + ".sock");

        DaemonConnectException error = await Assert.ThrowsAsync<DaemonConnectException>(() => DaemonSocket.ConnectAsync(path, TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Equal(DaemonConnectFailure.SocketMissing, error.Failure);
    }

    [Fact(Timeout = 10000)]
    public async Task Describe_StaleSocketFile_IsRefused()
    {
        string path = Path.Combine("/tmp", "lct-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using (var listener = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // .NET unlinks a bound socket's file on dispose; renamed first, the file outlives its socket, as after a crash.
            listener.Bind(new UnixDomainSocketEndPoint(path + ".tmp"));
            File.Move(path + ".tmp", path);
        }

        try
        {
            DaemonConnectException error = await Assert.ThrowsAsync<DaemonConnectException>(() => DaemonSocket.ConnectAsync(path, TimeSpan.FromSeconds(2), CancellationToken.None));

            Assert.Equal(DaemonConnectFailure.Refused, error.Failure);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
