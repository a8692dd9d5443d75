using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Launcher.Rpc;

/// <summary>An outgoing call whose result is read as <typeparamref name="TResult"/>.</summary>
internal sealed class PendingCall<TResult> : PendingCall
{
    // Continuations run on the thread pool, never on the connection's read loop: a caller that blocks there
    // would stop every other response on the connection.
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonTypeInfo<TResult> _resultType;

    public PendingCall(string method, JsonTypeInfo<TResult> resultType)
        : base(method)
    {
        _resultType = resultType;
    }

    public Task<TResult> Task => _completion.Task;

    public override void CompleteWithResult(JsonElement result)
    {
        TResult? value;
        try
        {
            value = result.Deserialize(_resultType);
        }
        catch (JsonException ex)
        {
            _completion.TrySetException(new RpcException(RpcErrorCodes.InvalidParams, $"The peer's result for {Method} does not have the expected shape ({ex.Path})."));
            return;
        }
        catch (Exception ex)
        {
            // A converter on this side failed: the caller sees it; the connection's read loop must not.
            _completion.TrySetException(ex);
            return;
        }

        if (value is null)
        {
            _completion.TrySetException(new RpcException(RpcErrorCodes.InvalidParams, $"The peer's result for {Method} is null."));
            return;
        }

        _completion.TrySetResult(value);
    }

    public override bool TryFail(Exception exception) => _completion.TrySetException(exception);

    public override bool TryCancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
