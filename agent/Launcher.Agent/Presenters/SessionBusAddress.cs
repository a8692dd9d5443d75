using Launcher.Platform.Processes;

namespace Launcher.Agent.Presenters;

/// <summary>The user's D-Bus session bus: the inherited address, else the per-user bus systemd-logind provides.</summary>
internal static class SessionBusAddress
{
    public const string Variable = "DBUS_SESSION_BUS_ADDRESS";

    /// <summary>The address, or null with nothing to connect to (no graphical session).</summary>
    public static string? Find()
    {
        string? inherited = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(inherited))
        {
            return inherited;
        }

        string? runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        string[] sockets = string.IsNullOrEmpty(runtimeDirectory)
            ? [$"/run/user/{CurrentUser.EffectiveUid}/bus"]
            : [Path.Combine(runtimeDirectory, "bus"), $"/run/user/{CurrentUser.EffectiveUid}/bus"];
        string? socket = Array.Find(sockets, Exists);
        return socket is null ? null : $"unix:path={socket}";
    }

    /// <summary>Why there is no bus, for the failure reason.</summary>
    public static string Missing() =>
        $"no D-Bus session bus: {Variable} is unset and /run/user/{CurrentUser.EffectiveUid}/bus does not exist (no graphical session?)";

    private static bool Exists(string path)
    {
        try
        {
            return File.Exists(path) || (File.GetAttributes(path) & FileAttributes.Directory) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
