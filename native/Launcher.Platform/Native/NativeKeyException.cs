namespace Launcher.Platform.Native;

/// <summary>A native shim call that did not return LNK_OK, with the shim's own detail text.</summary>
internal sealed class NativeKeyException : Exception
{
    public NativeKeyException(NativeStatus status, string operation, string detail)
        : base($"{operation} failed ({status}): {detail}")
    {
        Status = status;
        Detail = detail;
    }

    public NativeStatus Status { get; }

    public string Detail { get; }
}
