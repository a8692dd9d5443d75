using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Benchmarks.Fleet;

/// <summary>
/// The baseline: bare TLS connect-handshake-close against the fleet server's own Kestrel HTTPS port (the same
/// certificate, the same server process), with the same client concurrency and the same CA-pinned validation (<see cref="PinnedCa"/>) as
/// the simulated machines. Nothing is sent after the handshake.
/// </summary>
internal static class RawTlsHandshakes
{
    public static async Task<(int Count, TimeSpan Elapsed)> RunAsync(Uri server, PinnedCa trust, int total, int concurrency, CancellationToken cancellationToken)
    {
        var options = trust.Options(server.Host);
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server.Host, server.Port, ct).ConfigureAwait(false);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(options, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return (total, Stopwatch.GetElapsedTime(started));
    }
}
