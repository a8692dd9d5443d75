namespace Launcher.Platform.Keys;

/// <summary>Whether a key store can be used on this machine now, and why not.</summary>
internal sealed record KeyStoreAvailability(bool IsAvailable, string Reason)
{
    public static KeyStoreAvailability Available(string reason) => new(true, reason);

    public static KeyStoreAvailability Unavailable(string reason) => new(false, reason);
}
