namespace Launcher.Contracts;

/// <summary>
/// Who may call a daemon method. Every method declares one in <see cref="Methods"/>; the daemon's dispatcher
/// enforces it before the handler runs, and denies anything it does not know.
/// </summary>
public enum Permission
{
    /// <summary>Any local process (its uid is still known from the kernel).</summary>
    Anyone = 1,

    /// <summary>A connection that registered as an agent; it acts for the kernel uid of its process only.</summary>
    RegisteredAgent = 2,

    /// <summary>root (in <c>--dev</c>, the daemon's own uid).</summary>
    Admin = 3,
}
