using Launcher.Contracts.Identity;
using Launcher.Contracts.Status;

namespace Launcher.Ctl.Tests;

internal static class Samples
{
    public static StatusResult Status(params string[] warnings) => new()
    {
        Version = "0.1.0",
        UptimeSeconds = 3723.5,
        Pid = 812,
        DevMode = false,
        Agents = [new AgentCount { Uid = 502, Connections = 2 }, new AgentCount { Uid = 501, Connections = 1 }],
        Connections = 4,
        PendingNotifications = 3,
        KeyClass = "tpm",
        IdentityState = IdentityStates.Ready,
        Warnings = warnings,
    };

    public static IdentityResult Identity() => new()
    {
        KeyClass = "software",
        State = IdentityStates.Ready,
        StateReason = "software key",
        PublicKeySpki = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+abc",
        Thumbprint = "thumb",
        Facts = new MachineFactsInfo { Model = "Test Machine", OsName = "Debian", OsVersion = "12" },
    };
}
