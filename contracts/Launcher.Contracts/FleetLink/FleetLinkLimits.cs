namespace Launcher.Contracts.FleetLink;

/// <summary>Size limits of the local fleet methods' params.</summary>
public static class FleetLinkLimits
{
    /// <summary>Longest server URL accepted.</summary>
    public const int MaxServerUrlLength = 512;

    /// <summary>Longest enrolment token accepted.</summary>
    public const int MaxTokenLength = 512;

    /// <summary>Largest pinned CA bundle (PEM characters).</summary>
    public const int MaxCaPemLength = 64 * 1024;
}
