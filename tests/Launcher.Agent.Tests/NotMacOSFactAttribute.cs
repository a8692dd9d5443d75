namespace Launcher.Agent.Tests;

/// <summary>A fact about behaviour off macOS; reported as skipped (with the reason) on a Mac.</summary>
public sealed class NotMacOSFactAttribute : FactAttribute
{
    public NotMacOSFactAttribute()
    {
        if (OperatingSystem.IsMacOS())
        {
            Skip = "Checks the behaviour where no Secure Enclave exists (not macOS).";
        }
    }
}
