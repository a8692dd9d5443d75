using System.Text.Json.Serialization;
using Launcher.Contracts.Agents;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Notifications;
using Launcher.Contracts.Status;

namespace Launcher.Contracts;

/// <summary>Source-generated serialization for every message type of the local API (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(StatusResult))]
[JsonSerializable(typeof(DiagnoseResult))]
[JsonSerializable(typeof(RegisterParams))]
[JsonSerializable(typeof(RegisterResult))]
[JsonSerializable(typeof(SendNotificationParams))]
[JsonSerializable(typeof(SendNotificationResult))]
[JsonSerializable(typeof(AckNotificationParams))]
[JsonSerializable(typeof(AckNotificationResult))]
[JsonSerializable(typeof(ShowNotificationParams))]
[JsonSerializable(typeof(IdentityResult))]
[JsonSerializable(typeof(ProveParams))]
[JsonSerializable(typeof(ProveResult))]
[JsonSerializable(typeof(ResetIdentityParams))]
[JsonSerializable(typeof(UserKeySignParams))]
[JsonSerializable(typeof(UserKeySignResult))]
[JsonSerializable(typeof(FleetEnrollParams))]
[JsonSerializable(typeof(FleetEnrollResult))]
[JsonSerializable(typeof(FleetLinkStatus))]
[JsonSerializable(typeof(FleetLeaveParams))]
[JsonSerializable(typeof(FleetLeaveResult))]
public sealed partial class LauncherJsonContext : JsonSerializerContext
{
}
