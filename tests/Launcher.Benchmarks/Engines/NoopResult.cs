using System.Runtime.Serialization;
using MessagePack;

namespace Launcher.Benchmarks.Engines;

/// <summary>The no-op method's result for StreamJsonRpc: an empty object, as ours answers.</summary>
[DataContract]
[MessagePackObject]
public sealed class NoopResult
{
    public static readonly NoopResult Instance = new();
}
