using Launcher.Platform.Ipc;

namespace Launcher.Daemon.Tests;

/// <summary>A test that needs root (to give a file another owner); skipped otherwise, except under CI=true, where
/// the tests run as root and a skip would hide a failure.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && ProcessIdentity.EffectiveUid != 0)
        {
            Skip = "needs root (to give a file another owner)";
        }
    }
}
