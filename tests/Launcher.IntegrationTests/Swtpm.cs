using System.Diagnostics;

namespace Launcher.IntegrationTests;

/// <summary>A real software TPM on loopback, started and stopped with scripts/swtpm.sh.</summary>
internal sealed class Swtpm : IDisposable
{
    private Swtpm(string directory, string tcti)
    {
        Directory = directory;
        Tcti = tcti;
    }

    public string Directory { get; }

    public string Tcti { get; }

    public static Swtpm Start(string directory)
    {
        string tcti = Run("start", directory).Trim().Split('\n').Last();
        Assert.StartsWith("swtpm:", tcti, StringComparison.Ordinal);
        return new Swtpm(directory, tcti);
    }

    public void Dispose() => Run("stop", Directory);

    private static string Run(string verb, string directory)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Repo.Script("swtpm.sh"));
        info.ArgumentList.Add(verb);
        info.ArgumentList.Add(directory);
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && verb == "start")
        {
            throw new InvalidOperationException($"swtpm.sh start failed: {error}");
        }

        return output;
    }
}
