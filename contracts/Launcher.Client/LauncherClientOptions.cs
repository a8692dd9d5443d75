using System.Net.Sockets;
using Launcher.Platform.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Client;

/// <summary>How <see cref="LauncherClient.ConnectAsync"/> reaches the daemon and what the client serves in return.</summary>
internal sealed class LauncherClientOptions
{
    /// <summary>
    /// The client's engine limits: the defaults, except that the client never closes a quiet connection itself,
    /// neither before the daemon's first message nor later (an agent waits for the daemon's calls for hours;
    /// launcherctl bounds each call instead).
    /// </summary>
    public static RpcLimits DefaultLimits { get; } = new() { IdleTimeout = null, FirstMessageTimeout = Timeout.InfiniteTimeSpan };

    public required string SocketPath { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The bound on each call, from sending it to its answer.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The methods the daemon may call on this client (the agent's); null serves none.</summary>
    public RpcHandlerTable? Handlers { get; init; }

    public RpcLimits Limits { get; init; } = DefaultLimits;

    public ILogger? Logger { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Runs right after connect, before a single byte is sent: null accepts the daemon, a reason refuses it
    /// (<see cref="DaemonConnectFailure.Untrusted"/>). The agent uses it so a fake socket never sees a registration.
    /// </summary>
    public Func<PeerCredentials, string?>? VerifyDaemon { get; init; }

    /// <summary>Reads the daemon's credentials from the connected socket; a seam so tests can feed what a Mac's kernel would.</summary>
    public Func<Socket, PeerCredentials> ReadPeer { get; init; } = PeerCredentials.Get;
}
