namespace Launcher.Contracts.Identity;

/// <summary>The states of the machine identity.</summary>
public static class IdentityStates
{
    /// <summary>The key is loaded and signs.</summary>
    public const string Ready = "ready";

    /// <summary>Key material exists but cannot be used (corrupt, foreign, hardware reset). Only an admin reset replaces it.</summary>
    public const string Lost = "lost";

    /// <summary>The key store cannot be reached now (e.g. the TPM does not answer); retried, not replaced.</summary>
    public const string Unavailable = "unavailable";
}
