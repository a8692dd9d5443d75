using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Harness;

/// <summary>The in-process server's methods: a no-op that answers an empty object, and one that throws.</summary>
internal static class BenchMethods
{
    public static readonly RpcMethod<EmptyParams, EmptyParams> Noop =
        new("bench/noop", LauncherJsonContext.Default.EmptyParams, LauncherJsonContext.Default.EmptyParams);

    /// <summary>Throws an exception with internal details: what reaches the peer (rpc-engines suite).</summary>
    public static readonly RpcMethod<EmptyParams, EmptyParams> Throw =
        new("bench/throw", LauncherJsonContext.Default.EmptyParams, LauncherJsonContext.Default.EmptyParams);
}
