using System.Net.Sockets;
using System.Text;

namespace Launcher.Benchmarks.Engines;

/// <summary>A raw Content-Length client for the bad-input probes: sends exactly the bytes given, reads one framed reply.</summary>
internal sealed class RawJsonRpcClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _buffered;

    private RawJsonRpcClient(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawJsonRpcClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        return new RawJsonRpcClient(socket);
    }

    public static byte[] Frame(string body) => Frame(Encoding.UTF8.GetBytes(body));

    public static byte[] Frame(byte[] body) => [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];

    /// <summary>Sends bytes; false when the peer has closed the connection.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The next framed reply's body; "closed" when the peer closed the connection, "timeout" when nothing came.</summary>
    public async Task<(string? Body, string Status)> ReadAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string text = Encoding.ASCII.GetString(_buffer, 0, _buffered);
                int headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0)
                {
                    int length = ParseLength(text[..headerEnd]);
                    int total = headerEnd + 4 + length;
                    if (_buffered >= total)
                    {
                        string body = Encoding.UTF8.GetString(_buffer, headerEnd + 4, length);
                        Buffer.BlockCopy(_buffer, total, _buffer, 0, _buffered - total);
                        _buffered -= total;
                        return (body, "reply");
                    }
                }

                int read = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered), SocketFlags.None, cancel.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return (null, "closed");
                }

                _buffered += read;
            }
        }
        catch (OperationCanceledException)
        {
            return (null, "timeout");
        }
        catch (SocketException)
        {
            return (null, "closed");
        }
    }

    public void Dispose() => _socket.Dispose();

    private static int ParseLength(string header)
    {
        foreach (string line in header.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
