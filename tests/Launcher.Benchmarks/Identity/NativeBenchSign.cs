using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;

namespace Launcher.Benchmarks.Identity;

/// <summary>The native baseline: artifacts/native/lnk-bench-sign, the shim's own signing loop in C.</summary>
internal static class NativeBenchSign
{
    public static async Task<double> RunAsync(RepoLayout layout, string tcti, double seconds)
    {
        await using ChildProcess tool = ChildProcess.Start(layout.BenchSignTool, ["--tcti", tcti, "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        int exit = await tool.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 60)).ConfigureAwait(false);
        string line = await tool.FirstLine.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (exit != 0 || JsonNode.Parse(line)?["signsPerSec"] is not JsonValue value)
        {
            throw new InvalidOperationException($"lnk-bench-sign failed ({exit}):\n{tool.Tail()}");
        }

        return value.GetValue<double>();
    }
}
