using System.Net.Sockets;
using System.Text;
using Launcher.Client;
using Launcher.Contracts.Status;
using Launcher.Daemon.Ipc;
using Launcher.Platform.Ipc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Daemon.Tests.Ipc;

/// <summary>
/// The accept loop over a real Unix socket: a slow code-signing check (a Mac's Security.framework, faked here) never
/// stalls other clients and is refused at its bound; a peer-credential structure that does not parse drops that
/// connection only, on the server and in the client.
/// </summary>
public sealed class SocketListenerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30000)]
    public async Task SlowCodeSigningCheck_OthersAreServedMeanwhile_AndTheSlowOneIsRefusedAtTheBound()
    {
        using var verifier = new GatedCodeSigningVerifier { SlowCalls = 1 };
        await using var server = await ListeningDaemon.StartAsync(verifier, AsNonAdmin, TimeSpan.FromSeconds(1));

        using Socket slow = await server.ConnectRawAsync();
        await verifier.FirstEntered.WaitAsync(s_wait);

        await using (LauncherClient other = await server.ConnectClientAsync())
        {
            StatusResult status = await other.StatusAsync().WaitAsync(s_wait);
            Assert.Equal("ready", status.IdentityState);
        }

        string refusal = await ReadToEndAsync(slow);
        Assert.Contains("did not finish within 1 s", refusal, StringComparison.Ordinal);
        Assert.Equal(2, verifier.Calls);
    }

    [Fact(Timeout = 30000)]
    public async Task TooManyPendingChecks_TheExtraConnectionIsRefused()
    {
        using var verifier = new GatedCodeSigningVerifier { SlowCalls = 1 };
        await using var server = await ListeningDaemon.StartAsync(verifier, AsNonAdmin, TimeSpan.FromSeconds(30), maxPending: 1);

        using Socket slow = await server.ConnectRawAsync();
        await verifier.FirstEntered.WaitAsync(s_wait);
        using Socket extra = await server.ConnectRawAsync();

        string refusal = await ReadToEndAsync(extra);
        Assert.Contains("1 connections already wait for a code-signing check", refusal, StringComparison.Ordinal);
        verifier.Release();
    }

    [Fact(Timeout = 30000)]
    public async Task FailedCodeSigningCheck_IsRefusedWithAFramedError()
    {
        using var verifier = new GatedCodeSigningVerifier { SlowCalls = 0, Verdict = false };
        await using var server = await ListeningDaemon.StartAsync(verifier, AsNonAdmin, TimeSpan.FromSeconds(5));

        using Socket client = await server.ConnectRawAsync();

        string refusal = await ReadToEndAsync(client);
        Assert.Contains("does not satisfy the daemon's requirement", refusal, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30000)]
    public async Task UnparsablePeerCredentials_DropThatConnection_AndTheListenerKeepsServing()
    {
        int accepted = 0;
        PeerCredentials Read(Socket socket) => Interlocked.Increment(ref accepted) == 1
            ? throw new InvalidDataException("xucred version 7 is not XUCRED_VERSION 0.")
            : PeerCredentials.Get(socket);
        await using var server = await ListeningDaemon.StartAsync(new NoCodeSigningVerifier(), Read, TimeSpan.FromSeconds(5));

        using Socket first = await server.ConnectRawAsync();
        Assert.Equal(string.Empty, await ReadToEndAsync(first));

        await using LauncherClient second = await server.ConnectClientAsync();
        Assert.Equal("ready", (await second.StatusAsync().WaitAsync(s_wait)).IdentityState);
    }

    [Theory(Timeout = 30000)]
    [InlineData("invalid-data")]
    [InlineData("token-mismatch")]
    public async Task Client_UnparsableDaemonCredentials_IsADaemonConnectException(string fault)
    {
        await using var server = await ListeningDaemon.StartAsync(new NoCodeSigningVerifier(), PeerCredentials.Get, TimeSpan.FromSeconds(5));
        Exception thrown = fault == "invalid-data"
            ? new InvalidDataException("xucred reports 0 groups, expected 1 to 16.")
            : new UnauthorizedAccessException("The peer's audit token (uid 501, pid 9) does not match its socket credentials (uid 0, pid 7).");
        var options = new LauncherClientOptions { SocketPath = server.SocketPath, ReadPeer = _ => throw thrown };

        DaemonConnectException refused = await Assert.ThrowsAsync<DaemonConnectException>(() => LauncherClient.ConnectAsync(options, CancellationToken.None));

        Assert.Equal(DaemonConnectFailure.Other, refused.Failure);
        Assert.Contains(thrown.Message, refused.Message, StringComparison.Ordinal);
    }

    private static PeerCredentials AsNonAdmin(Socket socket) => PeerCredentials.Get(socket) with { Uid = 4242 };

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var bound = new CancellationTokenSource(s_wait);
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
            if (read == 0)
            {
                return Encoding.UTF8.GetString(received.ToArray());
            }

            received.Write(buffer, 0, read);
        }
    }

    /// <summary>The real <see cref="SocketListener"/> over the harness's services, listening in a temp directory.</summary>
    private sealed class ListeningDaemon : IAsyncDisposable
    {
        private readonly DaemonHarness _harness;
        private readonly SocketListener _listener;

        private ListeningDaemon(DaemonHarness harness, SocketListener listener, string socketPath)
        {
            _harness = harness;
            _listener = listener;
            SocketPath = socketPath;
        }

        public string SocketPath { get; }

        public static async Task<ListeningDaemon> StartAsync(ICodeSigningVerifier verifier, Func<Socket, PeerCredentials> readPeer, TimeSpan checkTimeout, int maxPending = 64)
        {
            var harness = new DaemonHarness();
            var options = new DaemonOptions
            {
                SocketPath = harness.Directory.File("launcherd.sock"),
                StateDirectory = harness.Directory.Path,
                Dev = true,
                KeyStore = "software",
                CodeSigningCheckTimeout = checkTimeout,
                MaxPendingCodeSigningChecks = maxPending,
                ShutdownGrace = TimeSpan.FromSeconds(1),
            };
            var listener = new SocketListener(options, harness.Registry, harness.Sessions, NullLoggerFactory.Instance, TimeProvider.System, verifier)
            {
                ReadPeer = readPeer,
            };
            await listener.StartAsync(CancellationToken.None);
            await listener.Ready;
            return new ListeningDaemon(harness, listener, options.SocketPath);
        }

        public async Task<Socket> ConnectRawAsync()
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            return socket;
        }

        public Task<LauncherClient> ConnectClientAsync() =>
            LauncherClient.ConnectAsync(new LauncherClientOptions { SocketPath = SocketPath, CallTimeout = s_wait }, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await _listener.StopAsync(CancellationToken.None);
            _listener.Dispose();
            await _harness.DisposeAsync();
        }
    }
}
