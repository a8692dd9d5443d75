namespace Launcher.IntegrationTests;

/// <summary>A test that runs real processes as root and as other uids.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Requirements.InCi && Requirements.MissingRoot() is string reason)
        {
            Skip = reason;
        }
    }
}
