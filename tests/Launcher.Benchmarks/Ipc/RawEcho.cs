using System.Diagnostics;
using System.Net.Sockets;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Ipc;

/// <summary>
/// The baseline: a 100-byte ping-pong over a Unix socket with async Socket.SendAsync/ReceiveAsync, one message
/// outstanding. The echo loop runs in this process (the headline baseline) or in a child process (the same
/// process boundary a launcherd call crosses).
/// </summary>
internal static class RawEcho
{
    public const int PayloadBytes = 100;

    /// <summary>Serves echo on <paramref name="socketPath"/> until the listener is disposed.</summary>
    public static async Task ServeAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => EchoAsync(client));
        }
    }

    /// <summary>The child-process mode (<c>--echo-server PATH</c>): serve until stdin closes.</summary>
    public static async Task<int> RunChildAsync(string socketPath)
    {
        using Socket listener = Listen(socketPath);
        Task serving = ServeAsync(listener);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        listener.Dispose();
        await serving.ConfigureAwait(false);
        File.Delete(socketPath);
        return 0;
    }

    public static Socket Listen(string socketPath)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(16);
        return listener;
    }

    private static async Task EchoAsync(Socket client)
    {
        using (client)
        {
            byte[] buffer = new byte[PayloadBytes];
            try
            {
                while (true)
                {
                    int got = 0;
                    while (got < buffer.Length)
                    {
                        int n = await client.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None).ConfigureAwait(false);
                        if (n == 0)
                        {
                            return;
                        }

                        got += n;
                    }

                    await client.SendAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                }
            }
            catch (SocketException)
            {
                // The client went away mid-message: the measurement is over.
            }
        }
    }
}
