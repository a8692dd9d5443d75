using System.Runtime.InteropServices;

namespace Launcher.Benchmarks.Harness;

/// <summary>The <c>dotnet</c> muxer that runs framework-dependent assemblies (launcherd.dll, this harness's echo server).</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is string process && System.IO.Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            return process;
        }

        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the muxer is <root>/dotnet.
        string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
