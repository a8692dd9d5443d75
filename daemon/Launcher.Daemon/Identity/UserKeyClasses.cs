using Launcher.Contracts;

namespace Launcher.Daemon.Identity;

/// <summary>Which user-key classes an agent on this platform can really hold.</summary>
internal static class UserKeyClasses
{
    /// <summary>
    /// True when an agent here can hold a key of <paramref name="keyClass"/>: <c>user-software</c> everywhere,
    /// <c>user-secure-enclave</c> on macOS only. A Linux agent declaring a Secure Enclave key is refused at
    /// <c>agent/register</c> (not downgraded: the class is signed into the agent's proofs, which would then not match).
    /// </summary>
    public static bool CanBack(string keyClass) => keyClass switch
    {
        KeyClasses.UserSoftware => true,
        KeyClasses.UserSecureEnclave => OperatingSystem.IsMacOS(),
        _ => false,
    };
}
