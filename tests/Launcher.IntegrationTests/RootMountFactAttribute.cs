namespace Launcher.IntegrationTests;

/// <summary>A root test that mounts a small tmpfs (to fill a disk on purpose).</summary>
public sealed class RootMountFactAttribute : FactAttribute
{
    public RootMountFactAttribute()
    {
        if (!Requirements.InCi && SmallTmpfs.Unavailable is string reason)
        {
            Skip = reason;
        }
    }
}
