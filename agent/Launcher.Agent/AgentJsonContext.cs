using System.Text.Json.Serialization;
using Launcher.Agent.Notifications;
using Launcher.Agent.Presenters;

namespace Launcher.Agent;

/// <summary>Source-generated JSON for what the agent writes itself: stdout lines and its seen-notifications file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StdoutNotificationLine))]
[JsonSerializable(typeof(SeenFile))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
}
