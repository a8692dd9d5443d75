namespace Launcher.Contracts.Identity;

/// <summary>The result of <c>userKey/sign</c>.</summary>
public sealed record UserKeySignResult
{
    /// <summary>The proof signed with the user's key: a compact JWS.</summary>
    public required string Jws { get; init; }
}
