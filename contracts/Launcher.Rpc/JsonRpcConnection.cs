using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Launcher.Rpc;

/// <summary>
/// One JSON-RPC 2.0 connection: requests, notifications, results and errors in both directions over one transport.
/// Incoming requests run concurrently (up to <see cref="RpcLimits.MaxRequestsInFlight"/>); replies of handlers that
/// finish at once are batched and flushed before the connection next waits for the peer.
/// </summary>
public sealed class JsonRpcConnection : IAsyncDisposable
{
    private const string CancelMethod = "$/cancelRequest";
    private static ReadOnlySpan<byte> JsonRpcVersion => "2.0"u8;

    private readonly IRpcTransport _transport;
    private readonly RpcHandlerTable _handlers;
    private readonly RpcLimits _limits;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<RpcId, CancellationTokenSource> _incoming = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly ITimer _writeTimer;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _timerGate = new();
    private ITimer? _deadlineTimer;
    private TimeSpan? _idleTimeout;
    private long _lastActivity;
    private bool _sawFirstMessage;
    private bool _needsFlush;
    private bool _flushing;
    private long _nextId;
    private int _requestsInFlight;
    private int _outgoingInFlight;
    private int _started;
    private string? _closeReason;
    private string? _peerError;

    /// <summary>Creates a connection; call <see cref="Start"/> to begin reading.</summary>
    /// <param name="transport">The framed transport; the connection owns and disposes it.</param>
    /// <param name="handlers">The methods this side serves (an empty table serves none).</param>
    /// <param name="limits">The limits to enforce.</param>
    /// <param name="logger">Where diagnostics go; never the peer.</param>
    /// <param name="timeProvider">The clock for deadlines and timeouts.</param>
    public JsonRpcConnection(IRpcTransport transport, RpcHandlerTable? handlers, RpcLimits? limits = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _handlers = handlers ?? new RpcHandlerTable();
        _limits = limits ?? RpcLimits.Default;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _idleTimeout = _limits.IdleTimeout;
        _json = new Utf8JsonWriter(_scratch, new JsonWriterOptions { SkipValidation = true });
        LogThrottle = new RpcLogThrottle("this connection's peer", _limits.MaxPeerLogLinesPerConnection, _limits.PeerLogInterval, _time);

        // On the connection's clock like every other bound. Not a CancellationTokenSource with CancelAfter/TryReset:
        // with a TimeProvider other than System, TryReset reports success without stopping the provider's timer,
        // which then cancels a later, healthy flush.
        _writeTimer = _time.CreateTimer(static s => ((JsonRpcConnection)s!).OnWriteTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A name for logs (e.g. "uid 501 pid 812").</summary>
    public string Name { get; set; } = "connection";

    /// <summary>
    /// The budget of log lines this peer's input may cause (malformed or unknown messages, refused calls, limits it
    /// ran into); by default one of this connection's own (<see cref="RpcLimits.MaxPeerLogLinesPerConnection"/>).
    /// The daemon gives each connection one with a parent shared by the connections of its uid. Set before
    /// <see cref="Start"/>.
    /// </summary>
    public RpcLogThrottle LogThrottle { get; set; }

    /// <summary>The owner's per-connection state (the daemon's session, the agent's client).</summary>
    public object? State { get; set; }

    /// <summary>Completes when the connection has ended, for whatever reason.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Cancelled when the connection ends.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the connection ended; null while it is open.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>
    /// The idle bound (null: none), applied once the first message arrived. A connection with calls in flight
    /// either way is never idle. Changing it re-arms the deadline.
    /// </summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        set
        {
            _idleTimeout = value;
            if (Volatile.Read(ref _started) == 1)
            {
                ArmDeadline(CurrentBound());
            }
        }
    }

    /// <summary>Starts reading; incoming calls are served from now on.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The connection is already started.");
        }

        _lastActivity = _time.GetTimestamp();
        _deadlineTimer = _time.CreateTimer(static s => ((JsonRpcConnection)s!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        ArmDeadline(_limits.FirstMessageTimeout);
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>Calls a method on the peer and waits for its result.</summary>
    /// <exception cref="RpcException">The peer answered with an error.</exception>
    /// <exception cref="RpcTimeoutException">No answer within the bound.</exception>
    /// <exception cref="RpcConnectionLostException">The connection ended first.</exception>
    public async Task<TResult> InvokeAsync<TParams, TResult>(RpcMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfClosed();
        // A counter, not _pending.Count: ConcurrentDictionary.Count takes every lock of the table on each call.
        if (Interlocked.Increment(ref _outgoingInFlight) > _limits.MaxOutgoingCallsInFlight)
        {
            Interlocked.Decrement(ref _outgoingInFlight);
            throw new RpcException(RpcErrorCodes.ServerBusy, $"More than {_limits.MaxOutgoingCallsInFlight} calls are awaiting answers on this connection.");
        }

        long id = Interlocked.Increment(ref _nextId);
        var pending = new PendingCall<TResult>(method.Name, method.ResultType);
        _pending[id] = pending;
        try
        {
            TimeSpan bound = timeout ?? _limits.CallTimeout;
            if (bound != Timeout.InfiniteTimeSpan)
            {
                pending.Timer = _time.CreateTimer(static s => ((JsonRpcConnection)((object[])s!)[0]).OnCallTimeout((long)((object[])s!)[1]), new object[] { this, id }, bound, Timeout.InfiniteTimeSpan);
            }

            if (cancellationToken.CanBeCanceled)
            {
                pending.Registration = cancellationToken.Register(static s => ((JsonRpcConnection)((object[])s!)[0]).OnCallCancelled((long)((object[])s!)[1], (CancellationToken)((object[])s!)[2]), new object[] { this, id, cancellationToken });
            }

            await WriteRequestAsync(new RpcId(id), method.Name, parameters, method.ParamsType).ConfigureAwait(false);
            return await pending.Task.ConfigureAwait(false);
        }
        catch (RpcTimeoutException)
        {
            throw new RpcTimeoutException(method.Name, timeout ?? _limits.CallTimeout);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcConnectionLostException(CloseReason ?? "closed");
        }
        finally
        {
            _pending.TryRemove(id, out _);
            pending.Timer?.Dispose();
            pending.Registration.Dispose();
            Interlocked.Decrement(ref _outgoingInFlight);
        }
    }

    /// <summary>Sends a notification (no answer comes back).</summary>
    public async ValueTask NotifyAsync<TParams>(RpcNotificationMethod<TParams> method, TParams parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfClosed();
        try
        {
            await WriteRequestAsync(null, method.Name, parameters, method.ParamsType).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RpcConnectionLostException(CloseReason ?? "closed");
        }
    }

    /// <summary>Ends the connection: pending calls fail with <see cref="RpcConnectionLostException"/>.</summary>
    public void Close(string reason)
    {
        if (Volatile.Read(ref _peerError) is string peerError)
        {
            reason = $"{reason} (the peer said: {peerError})";
        }

        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        Log.ConnectionClosed(_logger, Name, RpcLogText.Escape(reason));
        LogThrottle.Flush(_logger);
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException ex)
        {
            // A handler's callback threw; the rest of closing (failing pending calls, completing) must still run.
            Log.CancellationCallbackFailed(_logger, ex, Name);
        }
        _transport.Abort();
        lock (_timerGate)
        {
            _deadlineTimer?.Dispose();
        }

        var lost = new RpcConnectionLostException(reason);
        foreach (KeyValuePair<long, PendingCall> entry in _pending)
        {
            entry.Value.TryFail(lost);
        }

        if (Volatile.Read(ref _started) == 0)
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for incoming calls to finish, then closes.</summary>
    public async Task DrainAndCloseAsync(TimeSpan grace, string reason)
    {
        long deadline = _time.GetTimestamp();
        while (Volatile.Read(ref _requestsInFlight) > 0 && _time.GetElapsedTime(deadline) < grace)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }

        await FlushIfNeededAsync().ConfigureAwait(false);
        Close(reason);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Close("disposed");
        await _completion.Task.ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _writeTimer.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        Func<ValueTask> beforeWait = FlushIfNeededAsync;
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                TransportMessage message = await _transport.ReadAsync(beforeWait, _closed.Token).ConfigureAwait(false);
                switch (message.Kind)
                {
                    case TransportMessageKind.Message:
                        Touch();
                        if (!_sawFirstMessage)
                        {
                            _sawFirstMessage = true;
                            ArmDeadline(_idleTimeout);
                        }

                        try
                        {
                            Process(message.Body);
                        }
                        catch (Exception ex)
                        {
                            // A bug in processing one message must not end the connection or kill this loop
                            // silently; the peer gets a generic error, the log gets the details.
                            (int code, string text, _) = InternalError("(message)", ex);
                            Reject(null, code, text);
                        }
                        finally
                        {
                            message.Release();
                        }

                        break;
                    case TransportMessageKind.End:
                        await FlushIfNeededAsync().ConfigureAwait(false);
                        Close("the peer closed the connection");
                        return;
                    default:
                        if (LogThrottle.Allow(_logger))
                        {
                            if (message.ErrorCode == RpcErrorCodes.ServerBusy)
                            {
                                // Not broken framing: a limit on unfinished messages (time or bytes) was reached.
                                Log.ClosingForLimit(_logger, Name, message.Error!);
                            }
                            else
                            {
                                Log.FramingBroken(_logger, Name, message.Error!);
                            }
                        }

                        await TrySendErrorAsync(null, message.ErrorCode, message.Error!).ConfigureAwait(false);
                        Close("broken framing: " + message.Error);
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Close("transport failed: " + ex.Message);
        }
        catch (Exception ex)
        {
            // Whatever else a transport throws (a pipe the peer completed with an error, say), the connection ends
            // with a reason and Completion completes; the task is never left faulted and unobserved.
            Log.ReadLoopFailed(_logger, ex, Name);
            Close("transport failed");
        }
        finally
        {
            Close(CloseReason ?? "read loop ended");
            _completion.TrySetResult();
        }
    }

    private void Process(ReadOnlyMemory<byte> body)
    {
        // JSON on the wire is UTF-8 (RFC 8259). The parser does not check string contents, and reading an invalid
        // string later throws, so the whole body is checked once here.
        if (!Utf8.IsValid(body.Span))
        {
            Reject(null, RpcErrorCodes.ParseError, "The message is not valid UTF-8.");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = _limits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            Reject(null, RpcErrorCodes.ParseError, "The message is not valid JSON (or nests deeper than " + _limits.MaxJsonDepth + ").");
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                Reject(null, RpcErrorCodes.InvalidRequest, "Batches are not supported; send one message at a time.");
                return;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                Reject(null, RpcErrorCodes.InvalidRequest, "A message must be a JSON object.");
                return;
            }

            RpcId? id = null;
            bool hasId = root.TryGetProperty("id"u8, out JsonElement idElement);
            if (hasId && idElement.ValueKind != JsonValueKind.Null)
            {
                if (!RpcId.TryParse(idElement, out RpcId parsed))
                {
                    Reject(null, RpcErrorCodes.InvalidRequest, "The id must be an integer or a string.");
                    return;
                }

                id = parsed;
            }

            if (!root.TryGetProperty("jsonrpc"u8, out JsonElement version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals(JsonRpcVersion))
            {
                Reject(id, RpcErrorCodes.InvalidRequest, "The message must have \"jsonrpc\": \"2.0\".");
                return;
            }

            if (root.TryGetProperty("method"u8, out JsonElement methodElement))
            {
                if (hasId && id is null)
                {
                    Reject(null, RpcErrorCodes.InvalidRequest, "A request's id must not be null.");
                    return;
                }

                ProcessCall(root, methodElement, id);
                return;
            }

            bool hasResult = root.TryGetProperty("result"u8, out JsonElement result);
            bool hasError = root.TryGetProperty("error"u8, out JsonElement error);
            if (id is RpcId responseId && (hasResult ^ hasError))
            {
                ProcessResponse(responseId, hasResult ? result : null, hasError ? error : null);
                return;
            }

            // An error without an id is the peer explaining why it gives up on us (a refused connection, broken
            // framing): keep its message so the close reason, and every pending call, can say it.
            if (hasError && id is null && !hasResult && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message"u8, out JsonElement peerMessage) && peerMessage.ValueKind == JsonValueKind.String)
            {
                Volatile.Write(ref _peerError, Truncate(peerMessage.GetString()!));
            }

            // Never answer something that claims to be a response: the peer would answer our answer.
            if (hasResult || hasError)
            {
                if (LogThrottle.Allow(_logger))
                {
                    Log.BadMessage(_logger, Name, RpcErrorCodes.InvalidRequest, "malformed response ignored");
                }

                return;
            }

            Reject(id, RpcErrorCodes.InvalidRequest, "The message is neither a request, a notification nor a response.");
        }
    }

    private void ProcessCall(JsonElement root, JsonElement methodElement, RpcId? id)
    {
        if (methodElement.ValueKind != JsonValueKind.String)
        {
            Reject(id, RpcErrorCodes.InvalidRequest, "The method must be a string.");
            return;
        }

        string method = methodElement.GetString()!;
        JsonElement? parameters = null;
        if (root.TryGetProperty("params"u8, out JsonElement paramsElement) && paramsElement.ValueKind != JsonValueKind.Null)
        {
            switch (paramsElement.ValueKind)
            {
                case JsonValueKind.Object:
                    parameters = paramsElement;
                    break;
                case JsonValueKind.Array:
                    int count = paramsElement.GetArrayLength();
                    if (count == 1 && paramsElement[0].ValueKind == JsonValueKind.Object)
                    {
                        // StreamJsonRpc's InvokeAsync(name, obj) sends one object positionally.
                        parameters = paramsElement[0];
                    }
                    else if (count != 0)
                    {
                        RejectCall(id, method, RpcErrorCodes.InvalidParams, "Positional params are accepted only as a single object.");
                        return;
                    }

                    break;
                default:
                    Reject(id, RpcErrorCodes.InvalidRequest, "The params must be an object or an array.");
                    return;
            }
        }

        if (method == CancelMethod)
        {
            if (id is not null)
            {
                // Sent as a request, it would leave the peer waiting for an answer that a notification never gets.
                Reject(id, RpcErrorCodes.InvalidRequest, CancelMethod + " is a notification; send it without an id.");
                return;
            }

            if (parameters is JsonElement cancel && cancel.TryGetProperty("id"u8, out JsonElement target) && RpcId.TryParse(target, out RpcId targetId)
                && _incoming.TryGetValue(targetId, out CancellationTokenSource? source))
            {
                try
                {
                    source.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The call finished while the cancellation was on its way.
                }
                catch (AggregateException ex)
                {
                    Log.CancellationCallbackFailed(_logger, ex, Name);
                }
            }

            return;
        }

        if (!_handlers.TryGet(method, out RpcHandlerEntry entry))
        {
            RejectCall(id, method, RpcErrorCodes.MethodNotFound, $"Method not found: {Truncate(method)}.");
            return;
        }

        bool fits;
        object? bound;
        string? bindError;
        try
        {
            fits = entry.TryBind(parameters, out bound, out bindError);
        }
        catch (Exception ex)
        {
            // A converter or an IRpcValidatable threw: a bug on this side, reported like a failing handler.
            (int code, string text, _) = InternalError(method, ex);
            RejectCall(id, method, code, text);
            return;
        }

        if (!fits)
        {
            RejectCall(id, method, RpcErrorCodes.InvalidParams, bindError!);
            return;
        }

        if (Interlocked.Increment(ref _requestsInFlight) > _limits.MaxRequestsInFlight)
        {
            Interlocked.Decrement(ref _requestsInFlight);
            RejectCall(id, method, RpcErrorCodes.ServerBusy, $"More than {_limits.MaxRequestsInFlight} requests are in flight on this connection; retry later.");
            return;
        }

        CancellationTokenSource? callSource = null;
        CancellationToken token = _closed.Token;
        if (id is RpcId requestId)
        {
            callSource = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
            if (!_incoming.TryAdd(requestId, callSource))
            {
                Interlocked.Decrement(ref _requestsInFlight);
                callSource.Dispose();
                Reject(id, RpcErrorCodes.InvalidRequest, "A request with this id is already in flight.");
                return;
            }

            token = callSource.Token;
        }

        var context = new RpcCallContext(this, method, id);
        ValueTask<object?> invocation;
        try
        {
            invocation = entry.InvokeAsync(context, bound, token);
        }
        catch (Exception ex)
        {
            invocation = ValueTask.FromException<object?>(ex);
        }

        if (invocation.IsCompleted)
        {
            // The common case for fast handlers: answer inline, flushed once the read buffer is drained.
            _ = CompleteCallAsync(entry, context, invocation, callSource, flush: false);
        }
        else
        {
            _ = CompleteCallAsync(entry, context, invocation, callSource, flush: true);
        }
    }

    private async Task CompleteCallAsync(RpcHandlerEntry entry, RpcCallContext context, ValueTask<object?> invocation, CancellationTokenSource? callSource, bool flush)
    {
        try
        {
            object? result = null;
            Exception? failure = null;
            try
            {
                result = await invocation.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (context.Id is not RpcId id)
            {
                if (failure is not null && failure is not OperationCanceledException)
                {
                    Log.NotificationFailed(_logger, failure, Name, context.Method);
                }

                return;
            }

            if (failure is null)
            {
                await WriteResponseAsync(id, entry, result, flush).ConfigureAwait(false);
                return;
            }

            if (_closed.IsCancellationRequested)
            {
                return;
            }

            (int code, string message, JsonElement? data) = failure switch
            {
                RpcException rpc => (rpc.Code, rpc.Message, rpc.ErrorData),
                OperationCanceledException when callSource?.IsCancellationRequested == true => (RpcErrorCodes.RequestCancelled, "The request was cancelled.", (JsonElement?)null),
                _ => InternalError(context.Method, failure),
            };
            await WriteErrorAsync(id, code, message, data, flush).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or RpcConnectionLostException)
        {
            Log.WriteFailed(_logger, Name, ex.Message);
            Close("write failed");
        }
        finally
        {
            if (context.Id is RpcId finished)
            {
                _incoming.TryRemove(finished, out _);
            }

            callSource?.Dispose();
            Interlocked.Decrement(ref _requestsInFlight);
            Touch();
        }
    }

    private (int Code, string Message, JsonElement? Data) InternalError(string method, Exception exception)
    {
        // Not throttled: an internal error is a bug on this side, and the incident id must be findable in the log.
        string incident = Guid.NewGuid().ToString("N")[..12];
        Log.HandlerFailed(_logger, exception, Name, method, incident);
        return (RpcErrorCodes.InternalError, $"Internal error (incident {incident}).", null);
    }

    private void ProcessResponse(RpcId id, JsonElement? result, JsonElement? error)
    {
        if (id.IsString || !_pending.TryRemove(id.Number, out PendingCall? pending))
        {
            if (LogThrottle.Allow(_logger))
            {
                Log.UnknownResponse(_logger, Name, RpcLogText.Escape(id.ToString()));
            }

            return;
        }

        if (result is JsonElement value)
        {
            pending.CompleteWithResult(value);
            return;
        }

        JsonElement errorObject = error!.Value;
        int code = RpcErrorCodes.InternalError;
        string message = "The peer answered with a malformed error.";
        JsonElement? data = null;
        if (errorObject.ValueKind == JsonValueKind.Object)
        {
            if (errorObject.TryGetProperty("code"u8, out JsonElement codeElement) && codeElement.TryGetInt32(out int parsedCode))
            {
                code = parsedCode;
            }

            if (errorObject.TryGetProperty("message"u8, out JsonElement messageElement) && messageElement.ValueKind == JsonValueKind.String)
            {
                message = messageElement.GetString()!;
            }

            if (errorObject.TryGetProperty("data"u8, out JsonElement dataElement))
            {
                data = dataElement.Clone();
            }
        }

        pending.TryFail(new RpcException(code, message, data));
    }

    /// <summary>
    /// Refuses a well-formed call. JSON-RPC 2.0 forbids answering a notification, even with an error (the peer has
    /// no id to match it to), so a refused notification is only logged.
    /// </summary>
    private void RejectCall(RpcId? id, string method, int code, string reason)
    {
        if (id is null)
        {
            if (LogThrottle.Allow(_logger))
            {
                Log.NotificationDropped(_logger, Name, RpcLogText.Escape(Truncate(method)), code, RpcLogText.Escape(reason));
            }

            return;
        }

        Reject(id, code, reason);
    }

    private void Reject(RpcId? id, int code, string reason)
    {
        if (LogThrottle.Allow(_logger))
        {
            Log.BadMessage(_logger, Name, code, RpcLogText.Escape(reason));
        }

        _ = TrySendErrorAsync(id, code, reason, flush: false);
    }

    private async Task TrySendErrorAsync(RpcId? id, int code, string message, bool flush = true)
    {
        try
        {
            await WriteErrorAsync(id, code, message, null, flush).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or RpcConnectionLostException)
        {
            Log.WriteFailed(_logger, Name, ex.Message);
        }
    }

    private void OnCallTimeout(long id)
    {
        if (_pending.TryRemove(id, out PendingCall? pending) && pending.TryFail(new RpcTimeoutException(pending.Method, _limits.CallTimeout)))
        {
            _ = SendCancelAsync(id);
        }
    }

    private void OnCallCancelled(long id, CancellationToken token)
    {
        if (_pending.TryRemove(id, out PendingCall? pending) && pending.TryCancel(token))
        {
            _ = SendCancelAsync(id);
        }
    }

    private async Task SendCancelAsync(long id)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await WriteAsync(new CancelMessage(id), static (writer, message) =>
            {
                writer.WriteStartObject();
                writer.WriteString("jsonrpc"u8, JsonRpcVersion);
                writer.WriteString("method"u8, CancelMethod);
                writer.WritePropertyName("params"u8);
                writer.WriteStartObject();
                writer.WriteNumber("id"u8, message.Id);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }, flush: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or RpcConnectionLostException)
        {
            Log.WriteFailed(_logger, Name, ex.Message);
        }
    }

    private ValueTask WriteRequestAsync<TParams>(RpcId? id, string method, TParams parameters, JsonTypeInfo<TParams> paramsType)
    {
        return WriteAsync(new RequestMessage<TParams>(id, method, parameters, paramsType), static (writer, message) =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, JsonRpcVersion);
            if (message.Id is RpcId requestId)
            {
                writer.WritePropertyName("id"u8);
                requestId.WriteTo(writer);
            }

            writer.WriteString("method"u8, message.Method);
            writer.WritePropertyName("params"u8);
            JsonSerializer.Serialize(writer, message.Parameters, message.ParamsType);
            writer.WriteEndObject();
        }, flush: true);
    }

    private async ValueTask WriteResponseAsync(RpcId id, RpcHandlerEntry entry, object? result, bool flush)
    {
        try
        {
            await WriteAsync(new ResponseMessage(id, entry, result), static (writer, message) =>
            {
                writer.WriteStartObject();
                writer.WriteString("jsonrpc"u8, JsonRpcVersion);
                writer.WritePropertyName("id"u8);
                message.Id.WriteTo(writer);
                writer.WritePropertyName("result"u8);
                message.Entry.WriteResult(writer, message.Result);
                writer.WriteEndObject();
            }, flush).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidCastException)
        {
            (int code, string text, JsonElement? data) = InternalError(entry.Name, ex);
            await WriteErrorAsync(id, code, text, data, flush).ConfigureAwait(false);
        }
    }

    private ValueTask WriteErrorAsync(RpcId? id, int code, string message, JsonElement? data, bool flush)
    {
        return WriteAsync(new ErrorMessage(id, code, message, data), static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, JsonRpcVersion);
            writer.WritePropertyName("id"u8);
            if (error.Id is RpcId errorId)
            {
                errorId.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WritePropertyName("error"u8);
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Data is JsonElement extra)
            {
                writer.WritePropertyName("data"u8);
                extra.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }, flush);
    }

    private async ValueTask WriteAsync<TState>(TState state, Action<Utf8JsonWriter, TState> build, bool flush)
    {
        if (!_writeLock.Wait(0))
        {
            // Only a write that completes synchronously on the read loop may leave its flush to the loop's next
            // wait; one that had to queue for the lock may land after that point, so it flushes itself.
            flush = true;
            await _writeLock.WaitAsync(_closed.Token).ConfigureAwait(false);
        }

        try
        {
            ThrowIfClosed();
            _scratch.ResetWrittenCount();
            _json.Reset(_scratch);
            try
            {
                build(_json, state);
                _json.Flush();
            }
            catch (Exception)
            {
                // A half-built message never reaches the transport.
                _json.Reset(_scratch);
                throw;
            }

            if (_scratch.WrittenCount > _limits.MaxMessageBytes)
            {
                throw new JsonException($"The outgoing message is {_scratch.WrittenCount} bytes; the limit is {_limits.MaxMessageBytes}.");
            }

            await _transport.WriteAsync(_scratch.WrittenMemory, _closed.Token).ConfigureAwait(false);
            if (flush)
            {
                await FlushLockedAsync().ConfigureAwait(false);
            }
            else
            {
                _needsFlush = true;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushIfNeededAsync()
    {
        if (!Volatile.Read(ref _needsFlush))
        {
            return;
        }

        if (!_writeLock.Wait(0))
        {
            await _writeLock.WaitAsync(_closed.Token).ConfigureAwait(false);
        }

        try
        {
            if (_needsFlush && !_closed.IsCancellationRequested)
            {
                await FlushLockedAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask FlushLockedAsync()
    {
        // A peer that stops reading fills the socket buffer; bound how long we wait for it. On expiry the timer
        // closes the connection, which aborts the transport and so ends this flush (the caller sees the close).
        Volatile.Write(ref _flushing, true);
        _writeTimer.Change(_limits.WriteTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await _transport.FlushAsync(_closed.Token).ConfigureAwait(false);
            _needsFlush = false;
        }
        finally
        {
            Volatile.Write(ref _flushing, false);
            _writeTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnWriteTimeout()
    {
        if (Volatile.Read(ref _flushing))
        {
            if (LogThrottle.Allow(_logger))
            {
                Log.ClosingForLimit(_logger, Name, "the peer did not read for " + _limits.WriteTimeout.TotalSeconds + " s");
            }

            Close("write timeout");
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    private TimeSpan? CurrentBound() => _sawFirstMessage ? _idleTimeout : _limits.FirstMessageTimeout;

    private void ArmDeadline(TimeSpan? bound)
    {
        lock (_timerGate)
        {
            if (_closed.IsCancellationRequested || _deadlineTimer is null)
            {
                return;
            }

            _deadlineTimer.Change(bound ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadline()
    {
        TimeSpan? bound = CurrentBound();
        if (bound is not TimeSpan limit || limit == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        bool busy = Volatile.Read(ref _requestsInFlight) > 0 || !_pending.IsEmpty;
        TimeSpan quiet = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (!busy && quiet >= limit)
        {
            string reason = _sawFirstMessage ? $"idle for {limit.TotalSeconds:0.#} s" : $"no complete message within {limit.TotalSeconds:0.#} s";
            if (LogThrottle.Allow(_logger))
            {
                Log.ClosingForLimit(_logger, Name, reason);
            }

            Close(reason);
            return;
        }

        ArmDeadline(busy ? limit : limit - quiet);
    }

    private void ThrowIfClosed()
    {
        if (CloseReason is string reason)
        {
            throw new RpcConnectionLostException(reason);
        }
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private readonly record struct CancelMessage(long Id);

    private readonly record struct RequestMessage<TParams>(RpcId? Id, string Method, TParams Parameters, JsonTypeInfo<TParams> ParamsType);

    private readonly record struct ResponseMessage(RpcId Id, RpcHandlerEntry Entry, object? Result);

    private readonly record struct ErrorMessage(RpcId? Id, int Code, string Message, JsonElement? Data);
}
