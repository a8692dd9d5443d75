namespace Launcher.Platform.Ipc;

/// <summary>Used where no code-signing requirement is enforced: on Linux, or on a Mac with none configured.</summary>
internal sealed class NoCodeSigningVerifier : ICodeSigningVerifier
{
    /// <summary>The reason given on platforms that have no code signatures to check.</summary>
    public const string NotOnThisPlatform = "code signing not checked on this platform";

    private readonly string _reason;

    public NoCodeSigningVerifier(string reason = NotOnThisPlatform)
    {
        _reason = reason;
    }

    public bool IsEnforced => false;

    public bool Satisfies(PeerCredentials peer, out string reason)
    {
        ArgumentNullException.ThrowIfNull(peer);
        reason = _reason;
        return true;
    }
}
