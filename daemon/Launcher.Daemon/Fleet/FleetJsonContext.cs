using System.Text.Json.Serialization;

namespace Launcher.Daemon.Fleet;

/// <summary>Serialization of fleet.json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(FleetEnrolment))]
internal sealed partial class FleetJsonContext : JsonSerializerContext
{
}
