namespace Launcher.Agent.Tests.DBus;

/// <summary>
/// A fact that needs <c>dbus-daemon</c> (package dbus). Without it, skipped with the reason on a developer machine;
/// in CI (CI=true) it runs and fails, because scripts/setup.sh installs it there.
/// </summary>
internal sealed class DBusFactAttribute : FactAttribute
{
    public DBusFactAttribute()
    {
        if (SessionBus.DaemonPath is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "dbus-daemon is not installed: run scripts/setup.sh (package dbus)";
        }
    }
}
