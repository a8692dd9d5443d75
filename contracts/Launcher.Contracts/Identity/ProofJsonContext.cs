using System.Text.Json.Serialization;

namespace Launcher.Contracts.Identity;

/// <summary>Serialization of proof headers and claims (explicit JOSE member names, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProofHeader))]
[JsonSerializable(typeof(ProofClaims))]
public sealed partial class ProofJsonContext : JsonSerializerContext
{
}
