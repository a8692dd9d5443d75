using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;
using Launcher.Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Launcher.Fleet.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MethodTableTests
{
    [Fact(Timeout = 60_000)]
    public async Task TheServerServesExactlyTheContractsServerMethods_AndTheHandshakeSetIsAsDocumented()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        LinkHandlers handlers = fleet.Server.Services.GetRequiredService<LinkHandlers>();

        Assert.Equal(FleetMethods.ServerMethods.Order(StringComparer.Ordinal), handlers.Table.MethodNames.Order(StringComparer.Ordinal));
        Assert.Equal(["fleet/challenge", "fleet/enroll", "fleet/activate", "fleet/authenticate"], FleetMethods.HandshakeMethods);
        Assert.Equal([2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010], new[]
        {
            FleetErrorCodes.NotAuthenticated, FleetErrorCodes.InvalidToken, FleetErrorCodes.InvalidProof, FleetErrorCodes.NonceRejected,
            FleetErrorCodes.ChannelBindingMismatch, FleetErrorCodes.MachineRevoked, FleetErrorCodes.UnknownMachine, FleetErrorCodes.Overloaded,
            FleetErrorCodes.AttestationFailed, FleetErrorCodes.PolicyRefused,
        });
    }
}
