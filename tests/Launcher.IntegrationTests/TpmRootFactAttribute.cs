namespace Launcher.IntegrationTests;

/// <summary>A root test that also needs swtpm and the native shim.</summary>
public sealed class TpmRootFactAttribute : FactAttribute
{
    public TpmRootFactAttribute()
    {
        if (!Requirements.InCi && (Requirements.MissingRoot() ?? Requirements.MissingSwtpm()) is string reason)
        {
            Skip = reason;
        }
    }
}
