using System.Text.Json.Serialization;

namespace Launcher.Contracts.Identity;

/// <summary>The claims of a Launcher proof (a JWT-shaped compact JWS; docs/protocol.md, "Proofs").</summary>
public sealed record ProofClaims
{
    /// <summary>The audience: who the proof is for.</summary>
    [JsonPropertyName("aud")]
    public required string Audience { get; init; }

    /// <summary>The verifier's single-use nonce.</summary>
    [JsonPropertyName("nonce")]
    public required string Nonce { get; init; }

    /// <summary>Issued at (Unix seconds).</summary>
    [JsonPropertyName("iat")]
    public required long IssuedAt { get; init; }

    /// <summary>Expires at (Unix seconds).</summary>
    [JsonPropertyName("exp")]
    public required long ExpiresAt { get; init; }

    /// <summary>A unique id for this proof.</summary>
    [JsonPropertyName("jti")]
    public required string ProofId { get; init; }

    /// <summary>The class of the key that signed it (<see cref="KeyClasses"/>).</summary>
    [JsonPropertyName("key_class")]
    public required string KeyClass { get; init; }

    /// <summary>The machine id, once enrolled.</summary>
    [JsonPropertyName("machine_id")]
    public string? MachineId { get; init; }

    /// <summary>The uid whose user key signed (user-key proofs only).</summary>
    [JsonPropertyName("uid")]
    public uint? Uid { get; init; }

    /// <summary>Toward the fleet: base64url SHA-256 of the DER of the server's TLS leaf certificate (channel binding).</summary>
    [JsonPropertyName("cb")]
    public string? TlsCertificateSha256 { get; init; }
}
