namespace Launcher.Contracts.Identity;

/// <summary>A P-256 public key as a JSON Web Key (RFC 7517, RFC 7518 section 6.2).</summary>
public sealed record PublicKeyJwk
{
    /// <summary>Always <c>EC</c>.</summary>
    public required string Kty { get; init; }

    /// <summary>Always <c>P-256</c>.</summary>
    public required string Crv { get; init; }

    /// <summary>The x coordinate, base64url without padding (32 bytes).</summary>
    public required string X { get; init; }

    /// <summary>The y coordinate, base64url without padding (32 bytes).</summary>
    public required string Y { get; init; }
}
