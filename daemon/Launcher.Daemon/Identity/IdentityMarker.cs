namespace Launcher.Daemon.Identity;

/// <summary>
/// identity.json in the state directory: which key this machine's identity is. With it, a key that disappears or
/// changes is noticed (state lost) instead of being silently replaced by a new one. A marker without a thumbprint
/// is written just before a key is created (first start, reset): a key found beside it is the one that creation
/// made, and is adopted.
/// </summary>
internal sealed record IdentityMarker
{
    public required string KeyClass { get; init; }

    /// <summary>Null while the key is being created.</summary>
    public required string? Thumbprint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
