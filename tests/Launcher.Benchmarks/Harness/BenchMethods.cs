using Launcher.Contracts;
using Launcher.Rpc;

namespace Launcher.Benchmarks.Harness;

/// <summary>The in-process server's one method: does nothing, answers an empty object.</summary>
internal static class BenchMethods
{
    public static readonly RpcMethod<EmptyParams, EmptyParams> Noop =
        new("bench/noop", LauncherJsonContext.Default.EmptyParams, LauncherJsonContext.Default.EmptyParams);
}
