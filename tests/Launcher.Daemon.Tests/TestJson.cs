using System.Text.Json;
using System.Text.Json.Serialization;

namespace Launcher.Daemon.Tests;

/// <summary>Raw JSON for tests that send exactly the bytes they mean.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext
{
}
