using System.Diagnostics;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// One real swtpm process started through scripts/swtpm.sh on free ports, with its state in a temporary
/// directory. Restarting keeps the state (same seeds, same storage root key) and takes new ports.
/// </summary>
internal sealed class SwtpmInstance : IDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _endorsed;

    private SwtpmInstance(string stateDirectory, bool endorsed)
    {
        StateDirectory = stateDirectory;
        _endorsed = endorsed;
        Tcti = string.Empty;
    }

    public string StateDirectory { get; }

    /// <summary>The test CA of an endorsed swtpm (swtpm-localca): <c>swtpm-localca-rootca-cert.pem</c> and
    /// <c>issuercert.pem</c>.</summary>
    public string LocalCaDirectory => Path.Combine(StateDirectory, "localca");

    /// <summary>The TCTI string of the running swtpm, e.g. <c>swtpm:host=127.0.0.1,port=40000</c>.</summary>
    public string Tcti { get; private set; }

    public static SwtpmInstance Start()
    {
        var instance = new SwtpmInstance(Directory.CreateTempSubdirectory("launcher-swtpm-").FullName, endorsed: false);
        instance.StartProcess();
        return instance;
    }

    /// <summary>A swtpm provisioned by swtpm_setup with EKs and EK certificates from a test CA of its own
    /// (scripts/swtpm.sh with SWTPM_EK=1): an RSA-2048 EK at 0x81010001 (certificate in NV 0x01c00002) and a
    /// P-384 EK at 0x81010016 (certificate in NV 0x01c00016).</summary>
    public static SwtpmInstance StartEndorsed()
    {
        var instance = new SwtpmInstance(Directory.CreateTempSubdirectory("launcher-swtpm-ek-").FullName, endorsed: true);
        instance.StartProcess();
        return instance;
    }

    public void Restart()
    {
        Stop();
        StartProcess();
    }

    public void Stop()
    {
        RunScript("stop");
    }

    /// <summary>A platform reset: TPM_Init through the control channel, then TPM2_Startup(CLEAR) as boot firmware
    /// would send it. Every transient object is gone; the TCP connection of an open context survives.</summary>
    public void ResetTpm()
    {
        int controlPort = Port + 1;
        Run("swtpm_ioctl", ["--tcp", $"127.0.0.1:{controlPort}", "-i"], useTcti: false);
        Tool("tpm2_startup", "-c");
    }

    /// <summary>Runs a tpm2-tools command against this swtpm; returns its standard output.</summary>
    public string Tool(string tool, params string[] arguments)
    {
        return Run(tool, arguments, useTcti: true);
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }

    private int Port => int.Parse(Tcti[(Tcti.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private void StartProcess()
    {
        Tcti = RunScript("start").Trim();
    }

    private string RunScript(string verb)
    {
        return Run("bash", [Path.Combine(RepositoryRoot(), "scripts", "swtpm.sh"), verb, StateDirectory], useTcti: false);
    }

    private string Run(string fileName, IEnumerable<string> arguments, bool useTcti)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = StateDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (useTcti)
        {
            start.Environment["TPM2TOOLS_TCTI"] = Tcti;
        }

        start.Environment["SWTPM_EK"] = _endorsed ? "1" : "0";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_commandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {s_commandTimeout}.");
        }

        if (!Task.WaitAll([output, error], s_commandTimeout))
        {
            throw new TimeoutException($"{fileName} kept its output open after exiting.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "swtpm.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"scripts/swtpm.sh not found above {AppContext.BaseDirectory}.");
    }
}
