using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>Two launcher-fleet instances on one PostgreSQL: presence rows and LISTEN/NOTIFY wake the instance that holds a machine.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiInstanceTests
{
    private const int T = 90_000;
    private readonly PostgresFixture _postgres;

    public MultiInstanceTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [PostgresData]
    public async Task PushThroughTheInstanceWithoutTheConnection_ReachesTheMachine(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        FleetServer other = await fleet.StartInstanceAsync();
        Assert.NotEqual(fleet.Server.Context.InstanceId, other.Context.InstanceId);
        await using TestMachine machine = await fleet.EnrolAsync(server: fleet.Server);
        using HttpClient otherAdmin = fleet.Client(fleet.AdminToken, other);

        // The other instance sees the machine online (presence row) and queues the work durably, then NOTIFY wakes
        // the instance holding the connection, which delivers it.
        JsonElement seen = await fleet.GetJsonAsync($"/api/v1/machines/{machine.MachineId}", otherAdmin);
        Assert.True(seen.GetProperty("online").GetBoolean());
        string id = await fleet.NotifyAsync(machine.MachineId!, new { uid = 501, title = "From B", body = "via NOTIFY" }, otherAdmin);

        FleetNotificationParams delivered = await machine.NextNotificationAsync();
        Assert.Equal(id, delivered.Id);
        await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 501, Outcome = "shown", At = 1 });
        JsonElement outcome = await fleet.GetJsonAsync($"/api/v1/notifications/{id}", otherAdmin);
        Assert.Equal("shown", outcome.GetProperty("recipients")[0].GetProperty("outcome").GetString());

        // Revocation through the other instance closes the connection where it is.
        using HttpResponseMessage revoke = await otherAdmin.PostAsync($"/api/v1/machines/{machine.MachineId}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await machine.WaitClosedAsync());
    }

    [Theory(Timeout = T)]
    [PostgresData]
    public async Task ABroadcastThroughOneInstance_ReachesMachinesHeldByBoth(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        FleetServer other = await fleet.StartInstanceAsync();
        await using TestMachine onA = await fleet.EnrolAsync(server: fleet.Server);
        await using TestMachine onB = await fleet.EnrolAsync(server: other);
        await using TestMachine alsoOnB = await fleet.EnrolAsync(server: other);
        using HttpClient otherAdmin = fleet.Client(fleet.AdminToken, other);

        // Through B: B sends to its own two; one NOTIFY wakes A, which sends to the machine it holds.
        (string id, long machines) = await BroadcastTests.BroadcastAsync(fleet, new { allMachines = true, uid = 501, title = "Everyone", body = "from B" }, otherAdmin);

        Assert.Equal(3, machines);
        foreach (TestMachine machine in new[] { onA, onB, alsoOnB })
        {
            FleetNotificationParams got = await machine.NextNotificationAsync();
            Assert.Equal($"{id}.{machine.MachineId}", got.Id);
            await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = got.Id, Uid = 501, Outcome = "shown", At = 1 });
        }

        // Either instance reads the same aggregate.
        JsonElement view = await BroadcastTests.WaitForAsync(fleet, $"/api/v1/notifications/{id}", v => v.GetProperty("states").GetProperty("shown").GetInt64() == 3);
        Assert.Equal(3, view.GetProperty("states").GetProperty("shown").GetInt64());
        Assert.Equal(3, view.GetProperty("recipients").GetProperty("shown").GetInt64());
        Assert.True(view.GetProperty("items").EnumerateArray().All(i => i.TryGetProperty("deliveredAt", out _)));
    }

    [Theory(Timeout = T)]
    [PostgresData]
    public async Task ANonceIssuedOnOneInstance_CannotBeUsedOnTheOther(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        FleetServer other = await fleet.StartInstanceAsync();
        await using TestMachine onA = await fleet.ConnectAsync(fleet.Server);
        ChallengeResult challenge = await onA.ChallengeAsync();
        await using TestMachine onB = await TestMachine.ConnectAsync(other.Url, TestMachine.TrustCa(fleet.Ca), EnrolmentTests.CloneKey(onA));

        Launcher.Rpc.RpcException error = await Assert.ThrowsAsync<Launcher.Rpc.RpcException>(() => onB.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams
        {
            Token = "lfe_whatever",
            Proof = onB.Proof(other.Context.Audience, challenge.Nonce),
        }));

        Assert.Equal(FleetErrorCodes.NonceRejected, error.Code);
    }
}
