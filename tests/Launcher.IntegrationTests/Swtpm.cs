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

    /// <summary>Starts a swtpm; <paramref name="endorsed"/> provisions EKs with certificates from a test CA in
    /// <c>DIRECTORY/localca</c> (SWTPM_EK=1).</summary>
    public static Swtpm Start(string directory, bool endorsed = false)
    {
        string tcti = Run("start", directory, endorsed).Trim().Split('\n').Last();
        Assert.StartsWith("swtpm:", tcti, StringComparison.Ordinal);
        return new Swtpm(directory, tcti);
    }

    public void Dispose() => Run("stop", Directory);

    /// <summary>The swtpm-localca directory of an endorsed swtpm: what <c>launcher-fleet run --tpm-roots</c> trusts in tests.</summary>
    public string LocalCa => Path.Combine(Directory, "localca");

    private static string Run(string verb, string directory, bool endorsed = false)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["SWTPM_EK"] = endorsed ? "1" : "0";
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
