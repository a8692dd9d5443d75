using System.Text.Json.Serialization;
using Launcher.Contracts.Identity;

namespace Launcher.Contracts.Fleet;

/// <summary>Source-generated serialization for every message of the fleet link (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(ChallengeResult))]
[JsonSerializable(typeof(EnrollParams))]
[JsonSerializable(typeof(EnrollResult))]
[JsonSerializable(typeof(ActivateParams))]
[JsonSerializable(typeof(TpmEvidenceParams))]
[JsonSerializable(typeof(ActivationChallenge))]
[JsonSerializable(typeof(AuthenticateParams))]
[JsonSerializable(typeof(RenewResult))]
[JsonSerializable(typeof(OutcomeParams))]
[JsonSerializable(typeof(FleetFacts))]
[JsonSerializable(typeof(ProveParams))]
[JsonSerializable(typeof(FleetProveResult))]
[JsonSerializable(typeof(FleetNotificationParams))]
[JsonSerializable(typeof(FleetNotificationResult))]
public sealed partial class FleetJsonContext : JsonSerializerContext
{
}
