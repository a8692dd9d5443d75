using System.Reflection;

namespace Launcher.Daemon;

/// <summary>Facts about this daemon process.</summary>
internal sealed class DaemonInfo
{
    public DaemonInfo(TimeProvider time)
    {
        StartedAt = time.GetTimestamp();
    }

    public static string Version { get; } =
        typeof(DaemonInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public long StartedAt { get; }
}
