using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace Launcher.IntegrationTests;

/// <summary>
/// A real child process (one of our executables, under dotnet or NativeAOT), optionally under another uid via setpriv.
/// Stdout lines are queued for the test; stdout and stderr are kept for failure messages.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private int _disposed;

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public ChannelReader<string> StdoutLines => _lines.Reader;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts one of our executables: <c>dotnet X.dll</c>, or a NativeAOT executable itself (<see cref="Repo.Command"/>).</summary>
    public static ChildProcess Start(string executable, IEnumerable<string> arguments, uint? uid = null, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        // Another uid may not be able to enter the checkout: it runs a readable copy.
        string[] command = Repo.Command(uid is null ? executable : ReadableCopies.Of(executable));
        return StartProgram(command[0], [.. command[1..], .. arguments], uid, workingDirectory, environment);
    }

    /// <summary>Starts any program on PATH (node for attack scripts, say), as <paramref name="uid"/> when given.</summary>
    public static ChildProcess StartProgram(string program, IEnumerable<string> arguments, uint? uid = null, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (uid is uint other)
        {
            // setpriv drops to the uid and gid without a login shell; HOME must be somewhere that uid may write.
            string home = Path.Combine(Path.GetTempPath(), $"launcher-it-home-{other}");
            Directory.CreateDirectory(home);
            Chown(home, other);
            info.FileName = "setpriv";
            foreach (string a in new[] { $"--reuid={other}", $"--regid={other}", "--clear-groups", "--", program })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["HOME"] = home;
            info.Environment["XDG_STATE_HOME"] = Path.Combine(home, "state");
        }
        else
        {
            info.FileName = program;
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Launch(info, environment);
    }

    private static ChildProcess Launch(ProcessStartInfo info, IDictionary<string, string>? environment)
    {
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["TSS2_LOG"] = "all+NONE";
        info.Environment.Remove("DBUS_SESSION_BUS_ADDRESS");
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, toChannel: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, toChannel: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a stdout line that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cancel.Token);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No line with '{text}' within {timeout.TotalSeconds} s. Output so far:\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no chance to clean up, as in a crash.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as launchd and systemd stop a service.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
        {
            _ = NativeKill(_process.Id, 15);
        }
    }

    /// <summary>SIGTERM to any process by id (e.g. the daemon under a wrapper).</summary>
    public static void Terminate(int pid) => _ = NativeKill(pid, 15);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        KillHard();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public static void Chown(string path, uint uid)
    {
        if (NativeChown(path, uid, uid) != 0)
        {
            throw new IOException($"chown {path} failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    private void OnLine(string? line, bool toChannel)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (toChannel)
        {
            _lines.Writer.TryWrite(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeChown(string path, uint uid, uint gid);
}
