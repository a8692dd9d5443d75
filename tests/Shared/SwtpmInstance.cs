using System.Diagnostics;

namespace Launcher.Testing;

/// <summary>
/// One real swtpm process started through scripts/swtpm.sh on free ports. Restarting keeps the state (same seeds,
/// same storage root key) and takes new ports. Every test project that needs a TPM links this one file.
/// </summary>
internal sealed class SwtpmInstance : IDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(60);

    private readonly bool _endorsed;
    private readonly bool _ownsDirectory;

    private SwtpmInstance(string stateDirectory, bool endorsed, bool ownsDirectory)
    {
        StateDirectory = stateDirectory;
        ToolDirectory = stateDirectory;
        _endorsed = endorsed;
        _ownsDirectory = ownsDirectory;
        Tcti = string.Empty;
    }

    /// <summary>swtpm's state (and scripts/swtpm.sh's pid and port files).</summary>
    public string StateDirectory { get; }

    /// <summary>Where <see cref="Tool"/> runs tpm2-tools: relative file names land here. The state directory unless set.</summary>
    public string ToolDirectory { get; set; }

    /// <summary>The test CA of an endorsed swtpm (swtpm-localca): <c>swtpm-localca-rootca-cert.pem</c> and
    /// <c>issuercert.pem</c>; what <c>launcher-fleet run --tpm-roots</c> trusts in tests.</summary>
    public string LocalCaDirectory => Path.Combine(StateDirectory, "localca");

    /// <summary>The TCTI string of the running swtpm, e.g. <c>swtpm:host=127.0.0.1,port=40000</c>.</summary>
    public string Tcti { get; private set; }

    /// <summary>The swtpm process (scripts/swtpm.sh writes swtpm.pid).</summary>
    public int Pid => int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "swtpm.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts a swtpm with its state in <paramref name="directory"/> (kept on dispose), or in a temporary
    /// directory of its own (deleted on dispose).</summary>
    public static SwtpmInstance Start(string? directory = null) => StartIn(directory, endorsed: false);

    /// <summary>A swtpm provisioned by swtpm_setup with EKs and EK certificates from a test CA of its own
    /// (scripts/swtpm.sh with SWTPM_EK=1): an RSA-2048 EK at 0x81010001 (certificate in NV 0x01c00002) and a
    /// P-384 EK at 0x81010016 (certificate in NV 0x01c00016).</summary>
    public static SwtpmInstance StartEndorsed(string? directory = null) => StartIn(directory, endorsed: true);

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

    /// <summary>Runs a tpm2-tools command against this swtpm in <see cref="ToolDirectory"/>; returns its standard output.</summary>
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
            if (_ownsDirectory)
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
        }
    }

    private static SwtpmInstance StartIn(string? directory, bool endorsed)
    {
        bool owns = directory is null;
        string state = directory ?? Directory.CreateTempSubdirectory(endorsed ? "launcher-swtpm-ek-" : "launcher-swtpm-").FullName;
        Directory.CreateDirectory(state);
        var instance = new SwtpmInstance(state, endorsed, owns);
        instance.StartProcess();
        return instance;
    }

    private int Port => int.Parse(Tcti[(Tcti.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private void StartProcess()
    {
        string tcti = RunScript("start").Trim().Split('\n')[^1];
        if (!tcti.StartsWith("swtpm:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/swtpm.sh start printed no TCTI: {tcti}");
        }

        Tcti = tcti;
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
            WorkingDirectory = useTcti ? ToolDirectory : StateDirectory,
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
