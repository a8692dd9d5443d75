using StreamJsonRpc;

namespace Launcher.Benchmarks.Engines;

/// <summary>The methods a StreamJsonRpc server exposes in the comparison: the same names as the engine's no-op server.</summary>
internal sealed class SjrTarget
{
    [JsonRpcMethod("bench/noop")]
    public NoopResult Noop() => NoopResult.Instance;

    [JsonRpcMethod("bench/throw")]
    public NoopResult Throw() => throw new InvalidOperationException(EngineProbes.SecretDetail);
}
