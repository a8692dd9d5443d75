namespace Launcher.Ctl;

/// <summary>What launcherctl reports for a failed command: the exit code and the line for standard error.</summary>
internal sealed record CtlFailure(int ExitCode, string Message);
