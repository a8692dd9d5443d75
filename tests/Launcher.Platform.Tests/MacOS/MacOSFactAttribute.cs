namespace Launcher.Platform.Tests.MacOS;

/// <summary>A fact that runs on macOS only and is reported as skipped, with the reason, everywhere else.</summary>
public sealed class MacOSFactAttribute : FactAttribute
{
    public MacOSFactAttribute()
    {
        if (!OperatingSystem.IsMacOS())
        {
            Skip = "needs macOS (Security.framework, LOCAL_PEERCRED); runs in the macOS CI job";
        }
    }
}
