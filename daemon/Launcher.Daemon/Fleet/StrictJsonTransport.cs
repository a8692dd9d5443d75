using System.Text.Json;
using Launcher.Rpc;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The fleet link reads through this: a server that sends something that is not one JSON object (garbage, a
/// truncated message, a bare value) is broken, and the link drops the connection and reconnects later instead of
/// answering it with a parse error and carrying on (what the local socket does for its clients).
/// </summary>
internal sealed class StrictJsonTransport : IRpcTransport
{
    private readonly IRpcTransport _inner;
    private readonly int _maxDepth;

    public StrictJsonTransport(IRpcTransport inner, int maxDepth)
    {
        _inner = inner;
        _maxDepth = maxDepth;
    }

    public async ValueTask<TransportMessage> ReadAsync(Func<ValueTask>? beforeWait, CancellationToken cancellationToken)
    {
        TransportMessage message = await _inner.ReadAsync(beforeWait, cancellationToken).ConfigureAwait(false);
        if (message.Kind != TransportMessageKind.Message || IsJsonObject(message.Body.Span, _maxDepth))
        {
            return message;
        }

        message.Release();
        return TransportMessage.Broken("The fleet server sent a message that is not a JSON object.");
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => _inner.WriteAsync(message, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public void Abort() => _inner.Abort();

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    internal static bool IsJsonObject(ReadOnlySpan<byte> body, int maxDepth)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
