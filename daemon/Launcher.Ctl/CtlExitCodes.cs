namespace Launcher.Ctl;

/// <summary>
/// launcherctl's exit codes, stable for scripts (also listed in <c>launcherctl --help</c>):
/// 0 ok; 1 the daemon answered with an error; 2 usage error; 3 cannot connect to the daemon (socket missing,
/// refused, permission denied, connection dropped); 4 access denied (run as root); 5 timeout; and for
/// <c>launcherctl doctor</c> by its worst check: 0 ok or skipped, 6 warnings, 7 failures.
/// </summary>
internal static class CtlExitCodes
{
    public const int Ok = 0;
    public const int DaemonError = 1;
    public const int Usage = 2;
    public const int CannotConnect = 3;
    public const int AccessDenied = 4;
    public const int Timeout = 5;

    /// <summary><c>launcherctl doctor</c>: the worst check is a warning.</summary>
    public const int DoctorWarnings = 6;

    /// <summary><c>launcherctl doctor</c>: at least one check failed (including a daemon that does not answer).</summary>
    public const int DoctorFailures = 7;

    /// <summary>The list as shown in the help text.</summary>
    public const string HelpText =
        "Exit codes: 0 ok; 1 the daemon answered with an error; 2 usage error; 3 cannot connect to the daemon; "
        + "4 access denied (run as root); 5 timeout; doctor: 6 warnings, 7 failures.";
}
