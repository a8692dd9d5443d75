namespace Launcher.Ctl.Doctor;

/// <summary>One check: a stable name for scripts, the verdict, what was found, and one line that says how to fix it.</summary>
internal sealed record DoctorCheck(string Name, DoctorStatus Status, string Summary, string? Fix = null)
{
    public static DoctorCheck Ok(string name, string summary) => new(name, DoctorStatus.Ok, summary);

    public static DoctorCheck Skip(string name, string reason, string? fix = null) => new(name, DoctorStatus.Skip, reason, fix);

    public static DoctorCheck Warn(string name, string summary, string fix) => new(name, DoctorStatus.Warn, summary, fix);

    public static DoctorCheck Fail(string name, string summary, string fix) => new(name, DoctorStatus.Fail, summary, fix);
}
