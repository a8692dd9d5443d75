namespace Launcher.IntegrationTests;

/// <summary>A test that runs the real daemon as root and an agent on a private D-Bus session bus.</summary>
public sealed class DBusRootFactAttribute : FactAttribute
{
    public DBusRootFactAttribute()
    {
        if (!Requirements.InCi && (Requirements.MissingRoot() ?? Requirements.MissingDBus()) is string reason)
        {
            Skip = reason;
        }
    }
}
