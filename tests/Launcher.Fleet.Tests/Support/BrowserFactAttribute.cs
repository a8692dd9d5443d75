namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A test in a real browser (Debian's chromium and chromium-driver): skipped with the reason when either is missing,
/// except under CI=true, where scripts/setup.sh installs them and the test fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (ConsoleBrowser.MissingReason() is string reason && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = reason + ": run scripts/setup.sh";
        }
    }
}
