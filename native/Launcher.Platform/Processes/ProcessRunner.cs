using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Launcher.Platform.Processes;

/// <summary>
/// Runs a helper program by absolute path with an argument vector (never through a shell), a hard timeout that
/// kills it, and capped output, so a hung or chatty helper costs a bounded amount of time and memory.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>Output beyond this many characters per stream is read and dropped.</summary>
    public const int MaxOutputChars = 64 * 1024;

    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        if (!Path.IsPathFullyQualified(fileName))
        {
            throw new ArgumentException("Helpers are run by absolute path only, never found through PATH.", nameof(fileName));
        }

        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new ProcessResult(-1, string.Empty, string.Empty, TimedOut: false, StartError: ex.Message);
        }

        process.StandardInput.Close();
        Task<string> stdout = ReadCappedAsync(process.StandardOutput);
        Task<string> stderr = ReadCappedAsync(process.StandardError);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            timedOut = true;
        }

        // A grandchild that inherited the pipes could hold them open after the helper exits: bound that wait too.
        Task readers = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(readers, Task.Delay(s_drainTimeout, CancellationToken.None)).ConfigureAwait(false) != readers)
        {
            Kill(process);
            return new ProcessResult(-1, string.Empty, string.Empty, TimedOut: true, StartError: null);
        }

        string output = await stdout.ConfigureAwait(false);
        string error = await stderr.ConfigureAwait(false);
        return new ProcessResult(timedOut ? -1 : process.ExitCode, output, error, timedOut, StartError: null);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
        catch (Win32Exception)
        {
            // Not ours to kill any more (exited and reaped); nothing left to stop.
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        char[] buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            int keep = Math.Min(read, MaxOutputChars - text.Length);
            if (keep > 0)
            {
                text.Append(buffer, 0, keep);
            }
        }

        return text.ToString();
    }
}
