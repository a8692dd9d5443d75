namespace Launcher.Platform.Ipc;

/// <summary>
/// Checks that the process behind a connection runs code signed the way the configuration requires. The decision is
/// taken from the kernel's audit token of that connection, never from anything the peer says.
/// </summary>
internal interface ICodeSigningVerifier
{
    /// <summary>
    /// False when <see cref="Satisfies"/> admits everyone without looking (Linux, or no requirement configured), so the
    /// listener skips the asynchronous check altogether.
    /// </summary>
    bool IsEnforced { get; }

    /// <summary>
    /// True when <paramref name="peer"/> satisfies the requirement (or none is enforced here); <paramref name="reason"/>
    /// always says why, so a denial can be logged with its cause. It may block (Security.framework reads the peer's
    /// code): callers run it off their accept loop, with a bound.
    /// </summary>
    bool Satisfies(PeerCredentials peer, out string reason);
}
