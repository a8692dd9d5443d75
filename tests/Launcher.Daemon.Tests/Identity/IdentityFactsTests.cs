using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>identity/get per caller class: the root-only hardware facts go to admins only.</summary>
public sealed class IdentityFactsTests
{
    private static readonly MachineFactsInfo s_facts = new()
    {
        SerialNumber = "SERIAL-123",
        HardwareUuid = "4c4c4544-0000-1000-8000-000000000001",
        Model = "Test Machine",
        OsName = "Debian GNU/Linux",
        OsVersion = "12",
        OsInstallationId = "0123456789abcdef0123456789abcdef",
    };

    [Fact(Timeout = 20000)]
    public async Task IdentityGet_AsAdmin_IncludesSerialAndHardwareUuid()
    {
        await using var daemon = new DaemonHarness(facts: s_facts);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

        Assert.Equal(s_facts, identity.Facts);
    }

    [Fact(Timeout = 20000)]
    public async Task IdentityGet_AsUnregisteredUser_WithholdsSerialAndHardwareUuid()
    {
        await using var daemon = new DaemonHarness(facts: s_facts);
        JsonRpcConnection user = daemon.Connect(DaemonHarness.User(1000));

        IdentityResult identity = await user.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

        AssertWithheld(identity, daemon);
    }

    [Fact(Timeout = 20000)]
    public async Task IdentityGet_AsRegisteredAgent_WithholdsSerialAndHardwareUuid()
    {
        await using var daemon = new DaemonHarness(facts: s_facts);
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(1000));
        await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test", Presenter = "stdout" });

        IdentityResult identity = await agent.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

        AssertWithheld(identity, daemon);
    }

    private static void AssertWithheld(IdentityResult identity, DaemonHarness daemon)
    {
        Assert.Null(identity.Facts!.SerialNumber);
        Assert.Null(identity.Facts.HardwareUuid);
        Assert.Equal(s_facts with { SerialNumber = null, HardwareUuid = null }, identity.Facts);
        Assert.Equal(daemon.Identity.Get().Thumbprint, identity.Thumbprint);
        Assert.Equal(IdentityStates.Ready, identity.State);
    }
}
