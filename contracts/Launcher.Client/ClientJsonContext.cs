using System.Text.Json;
using System.Text.Json.Serialization;

namespace Launcher.Client;

/// <summary>Lets callers receive a result as the daemon sent it (a JsonElement), e.g. for <c>launcherctl --json</c>.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ClientJsonContext : JsonSerializerContext
{
}
