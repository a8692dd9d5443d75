using System.Text.Json.Serialization;

namespace Launcher.Contracts.Identity;

/// <summary>The protected header of a Launcher proof.</summary>
public sealed record ProofHeader
{
    /// <summary>Always ES256.</summary>
    [JsonPropertyName("alg")]
    public required string Algorithm { get; init; }

    /// <summary>The proof type (<see cref="ProofFormat.MachineProofType"/> or <see cref="ProofFormat.UserProofType"/>).</summary>
    [JsonPropertyName("typ")]
    public required string Type { get; init; }

    /// <summary>The signer's public key.</summary>
    [JsonPropertyName("jwk")]
    public required PublicKeyJwk Jwk { get; init; }

    /// <summary>The RFC 7638 thumbprint of <see cref="Jwk"/>.</summary>
    [JsonPropertyName("kid")]
    public required string KeyId { get; init; }
}
