namespace Launcher.Daemon.Ipc;

/// <summary>The classes of local callers the permission table distinguishes.</summary>
internal enum CallerClass
{
    /// <summary>Any process that is neither admin nor a registered agent.</summary>
    User,

    /// <summary>A connection registered as the agent of its kernel uid.</summary>
    Agent,

    /// <summary>root, or the daemon's own uid in dev mode.</summary>
    Admin,
}
