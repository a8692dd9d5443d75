using System.Text.Json.Serialization;
using Launcher.Agent.Notifications;
using Launcher.Agent.Presenters;

namespace Launcher.Agent;

/// <summary>Source-generated JSON for what the agent writes itself: stdout lines, its seen-notifications file, and the
/// line protocol of the macOS notifier app.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StdoutNotificationLine))]
[JsonSerializable(typeof(SeenFile))]
[JsonSerializable(typeof(NotifierRequest))]
[JsonSerializable(typeof(NotifierEvent))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
}
