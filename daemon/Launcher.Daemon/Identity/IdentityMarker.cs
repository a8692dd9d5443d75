namespace Launcher.Daemon.Identity;

/// <summary>
/// identity.json in the state directory: which key this machine's identity is. With it, a key that disappears or
/// changes is noticed (state lost) instead of being silently replaced by a new one.
/// </summary>
internal sealed record IdentityMarker
{
    public required string KeyClass { get; init; }

    public required string Thumbprint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
