using System.Reflection;

namespace Launcher.Agent;

/// <summary>Facts about this agent build.</summary>
internal static class AgentInfo
{
    public static string Version { get; } =
        typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
