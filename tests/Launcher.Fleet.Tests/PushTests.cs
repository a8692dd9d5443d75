using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PushTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public PushTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Notification_ToAnOnlineMachine_IsDelivered_AndItsOutcomeShown(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine machine = await fleet.EnrolAsync();

        string id = await fleet.NotifyAsync(machine.MachineId!, new { uid = 501, title = "Update", body = "Please restart", url = "https://example.org/help" });

        FleetNotificationParams delivered = await machine.NextNotificationAsync();
        Assert.Equal(id, delivered.Id);
        Assert.Equal(501u, delivered.Uid);
        Assert.Equal("Please restart", delivered.Body);
        JsonElement pending = await fleet.GetJsonAsync($"/api/v1/notifications/{id}");
        Assert.Equal("pending", pending.GetProperty("recipients")[0].GetProperty("outcome").GetString());

        long at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 501, Outcome = "clicked", Action = "open", At = at });
        // A repeat, and a late "shown", change nothing: applied once per (id, uid).
        await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 501, Outcome = "clicked", Action = "open", At = at });
        await machine.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 501, Outcome = "shown", At = at + 5 });

        JsonElement view = await fleet.GetJsonAsync($"/api/v1/notifications/{id}");
        JsonElement recipient = Assert.Single(view.GetProperty("recipients").EnumerateArray());
        Assert.Equal("clicked", recipient.GetProperty("outcome").GetString());
        Assert.Equal("open", recipient.GetProperty("action").GetString());
        Assert.Equal(at, recipient.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.True(view.TryGetProperty("deliveredAt", out _));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Notification_ToAnOfflineMachine_IsDeliveredOnItsNextConnection(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        TestMachine first = await fleet.EnrolAsync();
        string machineId = first.MachineId!;
        System.Security.Cryptography.ECDsa key = EnrolmentTests.CloneKey(first);
        await first.DisposeAsync();

        string id = await fleet.NotifyAsync(machineId, new { allUsers = true, title = "Maintenance", body = "Tonight" });
        JsonElement waiting = await fleet.GetJsonAsync($"/api/v1/notifications/{id}");
        Assert.False(waiting.TryGetProperty("deliveredAt", out _));
        Assert.True(waiting.GetProperty("allUsers").GetBoolean());

        await using TestMachine back = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), key);
        await back.AuthenticateAsync(machineId);
        FleetNotificationParams delivered = await back.NextNotificationAsync();
        Assert.Equal(id, delivered.Id);
        Assert.True(delivered.AllUsers);

        await back.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 1000, Outcome = "dismissed", At = 1 });
        await back.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 1001, Outcome = "shown", At = 2 });
        JsonElement view = await fleet.GetJsonAsync($"/api/v1/notifications/{id}");
        Assert.Equal(new[] { "dismissed", "shown" }, view.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!).ToArray());
    }

    [Fact(Timeout = T)]
    public async Task Outcome_ForANotificationOfAnotherMachine_IsNotFound()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine one = await fleet.EnrolAsync();
        await using TestMachine other = await fleet.EnrolAsync();
        string id = await fleet.NotifyAsync(one.MachineId!, new { uid = 501, title = "t", body = "b" });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => other.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = id, Uid = 501, Outcome = "clicked", At = 1 }));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
    }

    [Fact(Timeout = T)]
    public async Task BadNotificationRequests_GetProblemDetails()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        string path = $"/api/v1/machines/{machine.MachineId}/notifications";

        using HttpResponseMessage both = await fleet.Admin.PostAsJsonAsync(path, new { uid = 1, allUsers = true, title = "t", body = "b" });
        using HttpResponseMessage noTitle = await fleet.Admin.PostAsJsonAsync(path, new { uid = 1, body = "b" });
        using HttpResponseMessage badUrl = await fleet.Admin.PostAsJsonAsync(path, new { uid = 1, title = "t", body = "b", url = "javascript:alert(1)" });
        using HttpResponseMessage notJson = await fleet.Admin.PostAsync(path, new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        using HttpResponseMessage unknownMember = await fleet.Admin.PostAsJsonAsync(path, new { uid = 1, title = "t", body = "b", priority = 9 });
        using HttpResponseMessage noMachine = await fleet.Admin.PostAsJsonAsync("/api/v1/machines/m_nope/notifications", new { uid = 1, title = "t", body = "b" });
        using HttpResponseMessage noNotification = await fleet.Admin.GetAsync("/api/v1/notifications/n_nope");

        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("exactly one of uid and allUsers", await both.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noTitle.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noMachine.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noNotification.StatusCode);
        Assert.DoesNotContain("   at ", await notJson.Content.ReadAsStringAsync());
    }
}
