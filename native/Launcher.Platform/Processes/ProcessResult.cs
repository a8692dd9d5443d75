namespace Launcher.Platform.Processes;

/// <summary>How a bounded child process ended. <see cref="StartError"/> is set when it never started.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, string? StartError)
{
    /// <summary>True when the process started, finished in time and exited with 0.</summary>
    public bool Succeeded => StartError is null && !TimedOut && ExitCode == 0;

    /// <summary>One line for logs and outcomes: why it did not succeed (or "exit 0").</summary>
    public string Describe()
    {
        if (StartError is not null)
        {
            return $"did not start: {StartError}";
        }

        if (TimedOut)
        {
            return "timed out and was killed";
        }

        string error = StandardError.Trim();
        return error.Length == 0 ? $"exit {ExitCode}" : $"exit {ExitCode}: {Truncate(error, 300)}";
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
