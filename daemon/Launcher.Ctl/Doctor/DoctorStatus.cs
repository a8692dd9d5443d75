namespace Launcher.Ctl.Doctor;

/// <summary>A check's verdict, in order of severity (the worst decides launcherctl doctor's exit code).</summary>
internal enum DoctorStatus
{
    /// <summary>As it should be.</summary>
    Ok = 0,

    /// <summary>Not applicable here, or cannot be checked (the reason says which).</summary>
    Skip = 1,

    /// <summary>Works, but an admin should look (a software key, an agent missing, clock drifting).</summary>
    Warn = 2,

    /// <summary>Broken: the machine identity or notifications do not work as they should.</summary>
    Fail = 3,
}
