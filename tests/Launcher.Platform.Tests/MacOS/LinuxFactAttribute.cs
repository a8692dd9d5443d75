namespace Launcher.Platform.Tests.MacOS;

/// <summary>A fact about Linux behaviour, reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "describes Linux behaviour";
        }
    }
}
