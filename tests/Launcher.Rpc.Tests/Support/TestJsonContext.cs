using System.Text.Json.Serialization;

namespace Launcher.Rpc.Tests.Support;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EchoParams))]
[JsonSerializable(typeof(EchoResult))]
[JsonSerializable(typeof(AddParams))]
[JsonSerializable(typeof(AddResult))]
[JsonSerializable(typeof(FailParams))]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(TickParams))]
[JsonSerializable(typeof(TextParams))]
[JsonSerializable(typeof(CountParams))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(SlowParams))]
[JsonSerializable(typeof(DoneResult))]
[JsonSerializable(typeof(BlobResult))]
[JsonSerializable(typeof(RangeParams))]
[JsonSerializable(typeof(ExplodingParams))]
[JsonSerializable(typeof(MistypedEchoResult))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}
