using Launcher.Contracts;
using Launcher.Daemon.Ipc;

namespace Launcher.Daemon.Dispatch;

/// <summary>The one function that decides whether a session may call a method of a given permission.</summary>
internal static class Authorizer
{
    public static bool Allows(Permission permission, Session session, out string reason)
    {
        switch (permission)
        {
            case Permission.Anyone:
                reason = "open to every local caller";
                return true;
            case Permission.RegisteredAgent when session.IsAgent:
                reason = "registered agent";
                return true;
            case Permission.RegisteredAgent:
                reason = "the connection has not registered as an agent";
                return false;
            case Permission.Admin when session.Caller.IsAdmin:
                reason = "admin";
                return true;
            case Permission.Admin:
                reason = $"uid {session.Caller.Uid} is not an admin";
                return false;
            default:
                // Unknown means denied.
                reason = $"permission {permission} is not known to this daemon";
                return false;
        }
    }

    public static string Describe(Permission permission) => permission switch
    {
        Permission.Anyone => "no permission",
        Permission.RegisteredAgent => "a registered agent",
        Permission.Admin => "an admin (root)",
        _ => "an unknown permission",
    };
}
