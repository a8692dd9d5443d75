namespace Launcher.Ctl.Doctor;

/// <summary>Every check's result, and the exit code the worst of them gives.</summary>
internal sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    public DoctorStatus Worst => Checks.Count == 0 ? DoctorStatus.Ok : Checks.Max(c => c.Status);

    /// <summary>0 when every check is ok or skipped; <see cref="CtlExitCodes.DoctorWarnings"/>; <see cref="CtlExitCodes.DoctorFailures"/>.</summary>
    public int ExitCode => Worst switch
    {
        DoctorStatus.Fail => CtlExitCodes.DoctorFailures,
        DoctorStatus.Warn => CtlExitCodes.DoctorWarnings,
        _ => CtlExitCodes.Ok,
    };
}
