using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>An outgoing call waiting for its response.</summary>
internal abstract class PendingCall
{
    protected PendingCall(string method)
    {
        Method = method;
    }

    public string Method { get; }

    public ITimer? Timer { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Completes with the result; runs while the response document is alive.</summary>
    public abstract void CompleteWithResult(JsonElement result);

    public abstract bool TryFail(Exception exception);

    public abstract bool TryCancel(CancellationToken cancellationToken);
}
