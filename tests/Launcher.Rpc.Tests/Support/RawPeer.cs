using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Launcher.Rpc.Tests.Support;

/// <summary>
/// One engine connection under test and, facing it, a raw peer that writes arbitrary bytes and reads framed
/// replies as JSON. The connection's side is a real <see cref="HeaderDelimitedTransport"/>; the peer's reader is a
/// second transport with generous limits, used only to cut the replies into messages.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private static readonly RpcLimits s_peerLimits = new() { MaxMessageBytes = 64 * 1024 * 1024, MaxHeaderBytes = 4096 };

    private readonly Pipe _toConnection;
    private readonly Pipe _fromConnection;
    private readonly HeaderDelimitedTransport _peerReader;

    public RawPeer(
        RpcHandlerTable? handlers = null,
        RpcLimits? limits = null,
        ILogger? logger = null,
        TimeProvider? time = null,
        int? maxReadChunk = null,
        PipeOptions? replyPipe = null,
        Func<IRpcTransport, IRpcTransport>? wrap = null,
        bool start = true)
    {
        _toConnection = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        _fromConnection = new Pipe(replyPipe ?? new PipeOptions(pauseWriterThreshold: 0));
        IRpcTransport transport = maxReadChunk is int chunk
            ? new HeaderDelimitedTransport(new DuplexPipeStream(_toConnection.Reader, _fromConnection.Writer, chunk), limits ?? RpcLimits.Default)
            : new HeaderDelimitedTransport(_toConnection.Reader, _fromConnection.Writer, limits ?? RpcLimits.Default);
        if (wrap is not null)
        {
            transport = wrap(transport);
        }

        Connection = new JsonRpcConnection(transport, handlers, limits, logger, time) { Name = "under test" };
        _peerReader = new HeaderDelimitedTransport(_fromConnection.Reader, new Pipe().Writer, s_peerLimits);
        if (start)
        {
            Connection.Start();
        }
    }

    public JsonRpcConnection Connection { get; }

    public static TimeSpan ReplyTimeout { get; } = TimeSpan.FromSeconds(10);

    public static byte[] Frame(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        return [.. header, .. body];
    }

    /// <summary>Sends one framed message.</summary>
    public Task SendAsync(string json) => SendRawAsync(Frame(json));

    /// <summary>Sends bytes exactly as given.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _toConnection.Writer.WriteAsync(bytes);
    }

    public Task SendRawAsync(string ascii) => SendRawAsync(Encoding.UTF8.GetBytes(ascii));

    /// <summary>The peer closes its sending side.</summary>
    public async Task EndAsync() => await _toConnection.Writer.CompleteAsync();

    /// <summary>Reads the next reply; null when the connection's side ended.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        TransportMessage message;
        try
        {
            message = await _peerReader.ReadAsync(null, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException("No reply within " + ReplyTimeout.TotalSeconds + " s.");
        }

        try
        {
            switch (message.Kind)
            {
                case TransportMessageKind.Message:
                    using (JsonDocument document = JsonDocument.Parse(message.Body))
                    {
                        return document.RootElement.Clone();
                    }

                case TransportMessageKind.End:
                    return null;
                default:
                    throw new InvalidDataException("The connection sent broken framing: " + message.Error);
            }
        }
        finally
        {
            message.Release();
        }
    }

    /// <summary>Reads the next reply and returns its raw JSON text.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        JsonElement? reply = await ReceiveAsync();
        Assert.True(reply.HasValue, "The connection ended instead of replying.");
        return reply.Value.GetRawText();
    }

    /// <summary>Reads the next reply, which must be an error with <paramref name="code"/>; returns it.</summary>
    public async Task<JsonElement> ExpectErrorAsync(int code, string? id = "null")
    {
        JsonElement? reply = await ReceiveAsync();
        Assert.True(reply.HasValue, "The connection ended instead of answering with an error.");
        JsonElement message = reply.Value;
        Assert.True(message.TryGetProperty("error", out JsonElement error), "Expected an error, got " + message.GetRawText());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal("2.0", message.GetProperty("jsonrpc").GetString());
        if (id is not null)
        {
            Assert.Equal(id, message.GetProperty("id").GetRawText());
        }

        return message;
    }

    /// <summary>Sends a well-formed echo request and checks its answer: the connection still serves.</summary>
    public async Task AssertStillServesAsync(string id = "\"probe\"")
    {
        await SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"test/echo\",\"params\":{\"text\":\"still here\",\"count\":1}}");
        JsonElement? reply = await ReceiveAsync();
        Assert.True(reply.HasValue, "The connection ended instead of answering the probe.");
        Assert.Equal(id, reply.Value.GetProperty("id").GetRawText());
        Assert.Equal("still here", reply.Value.GetProperty("result").GetProperty("text").GetString());
    }

    /// <summary>Waits for the connection to end (bounded), then disposes it so the peer sees the end of stream.</summary>
    public async Task AssertClosesAsync()
    {
        await Connection.Completion.WaitAsync(ReplyTimeout);
        Assert.NotNull(Connection.CloseReason);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _toConnection.Writer.CompleteAsync();
        await _peerReader.DisposeAsync();
    }
}
