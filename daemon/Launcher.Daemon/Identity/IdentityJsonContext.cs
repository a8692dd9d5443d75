using System.Text.Json.Serialization;

namespace Launcher.Daemon.Identity;

/// <summary>Serialization of the identity marker file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IdentityMarker))]
internal sealed partial class IdentityJsonContext : JsonSerializerContext
{
}
