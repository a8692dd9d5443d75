using System.Text.Json.Serialization;
using Launcher.Contracts.Notifications;

namespace Launcher.Daemon.Notifications;

/// <summary>Serialization of the outbox's JSON columns.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<NotificationAction>))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext
{
}
