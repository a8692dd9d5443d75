namespace Launcher.Platform.Keys;

/// <summary>Key material exists but cannot be used: corrupt, truncated, from another machine, or the hardware was
/// reset. The identity becomes <c>lost</c>; it is never silently replaced.</summary>
internal sealed class KeyUnusableException : Exception
{
    public KeyUnusableException(string reason)
        : base(reason)
    {
    }

    public KeyUnusableException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}
