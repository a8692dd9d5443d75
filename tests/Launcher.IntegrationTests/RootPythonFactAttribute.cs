namespace Launcher.IntegrationTests;

/// <summary>A root test that holds connections under other uids with the python3 helpers in Helpers/.</summary>
public sealed class RootPythonFactAttribute : FactAttribute
{
    public RootPythonFactAttribute()
    {
        if (!Requirements.InCi && Requirements.MissingRootOrPython() is string reason)
        {
            Skip = reason;
        }
    }
}
