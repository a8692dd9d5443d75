namespace Launcher.Fleet.Store;

/// <summary>A token as created: the only time its secret exists outside the holder's hands.</summary>
internal sealed record CreatedToken(string Id, string Token, DateTimeOffset? ExpiresAt, int? Uses, string? Group, string? MinLevel);
