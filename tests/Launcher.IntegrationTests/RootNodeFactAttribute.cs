namespace Launcher.IntegrationTests;

/// <summary>A test that runs the daemon as root and an attack script in node under another uid.</summary>
public sealed class RootNodeFactAttribute : FactAttribute
{
    public RootNodeFactAttribute()
    {
        if (!Requirements.InCi && (Requirements.MissingRoot() ?? Requirements.MissingNode()) is string reason)
        {
            Skip = reason;
        }
    }
}
