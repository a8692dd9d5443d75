using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>Fleet-wide notifications (<c>POST /api/v1/notifications</c>) on both stores, over real links.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BroadcastTests
{
    private const int T = 90_000;
    private readonly PostgresFixture _postgres;

    public BroadcastTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Broadcast_ReachesConnectedMachines_AndLaterConnections_NotRevokedOnes_AndCountsOutcomes(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine one = await fleet.EnrolAsync();
        await using TestMachine two = await fleet.EnrolAsync();
        TestMachine away = await fleet.EnrolAsync();
        string awayId = away.MachineId!;
        System.Security.Cryptography.ECDsa awayKey = EnrolmentTests.CloneKey(away);
        await away.DisposeAsync();
        await using TestMachine revoked = await fleet.EnrolAsync();
        using (HttpResponseMessage revoke = await fleet.Admin.PostAsync($"/api/v1/machines/{revoked.MachineId}/revoke", null))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        (string id, long machines) = await BroadcastAsync(fleet, new { allMachines = true, uid = 501, title = "Maintenance", body = "Tonight at 22:00", url = "https://example.org/maintenance" });

        Assert.StartsWith("b_", id);
        Assert.Equal(3, machines);
        FleetNotificationParams toOne = await one.NextNotificationAsync();
        FleetNotificationParams toTwo = await two.NextNotificationAsync();
        Assert.Equal($"{id}.{one.MachineId}", toOne.Id);
        Assert.Equal($"{id}.{two.MachineId}", toTwo.Id);
        Assert.Equal(501u, toOne.Uid);
        Assert.Equal("Tonight at 22:00", toTwo.Body);
        Assert.Equal("https://example.org/maintenance", toTwo.Url);

        await one.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = toOne.Id, Uid = 501, Outcome = "clicked", Action = "open", At = 1 });
        await two.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = toTwo.Id, Uid = 501, Outcome = "shown", At = 2 });

        // The machine that was away gets it when it connects again.
        await using TestMachine back = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), awayKey);
        await back.AuthenticateAsync(awayId);
        FleetNotificationParams late = await back.NextNotificationAsync();
        Assert.Equal($"{id}.{awayId}", late.Id);

        JsonElement view = await WaitForAsync(fleet, $"/api/v1/notifications/{id}", v => v.GetProperty("states").GetProperty("delivered").GetInt64() == 1);
        Assert.True(view.GetProperty("target").GetProperty("allMachines").GetBoolean());
        Assert.Equal(3, view.GetProperty("machines").GetInt64());
        Assert.Equal(501u, view.GetProperty("uid").GetUInt32());
        JsonElement states = view.GetProperty("states");
        Assert.Equal(1, states.GetProperty("clicked").GetInt64());
        Assert.Equal(1, states.GetProperty("shown").GetInt64());
        Assert.Equal(0, states.GetProperty("pending").GetInt64());
        Assert.Equal(0, states.GetProperty("failed").GetInt64());
        JsonElement recipients = view.GetProperty("recipients");
        Assert.Equal(1, recipients.GetProperty("clicked").GetInt64());
        Assert.Equal(1, recipients.GetProperty("shown").GetInt64());
        Assert.Equal(1, recipients.GetProperty("pending").GetInt64());
        string[] listed = view.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("machineId").GetString()!).ToArray();
        Assert.Equal(new[] { one.MachineId!, two.MachineId!, awayId }.Order(StringComparer.Ordinal), listed);
        Assert.DoesNotContain(revoked.MachineId!, listed);
        JsonElement clicked = view.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("machineId").GetString() == one.MachineId);
        Assert.Equal("clicked", clicked.GetProperty("state").GetString());
        Assert.Equal("open", clicked.GetProperty("recipients")[0].GetProperty("action").GetString());

        // Each copy is an ordinary notification of its machine, naming its broadcast.
        JsonElement copy = await fleet.GetJsonAsync($"/api/v1/notifications/{toOne.Id}");
        Assert.Equal(id, copy.GetProperty("broadcastId").GetString());
        Assert.Equal(one.MachineId, copy.GetProperty("machineId").GetString());

        // One audit entry for the broadcast, none per machine.
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit?limit=500");
        string[] actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray();
        Assert.Equal(1, actions.Count(a => a == "broadcast.created"));
        Assert.DoesNotContain("notification.created", actions);
        JsonElement entry = audit.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "broadcast.created");
        Assert.Contains(id, entry.GetProperty("detail").GetString());
        Assert.Contains("3 machines", entry.GetProperty("detail").GetString());
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Broadcast_ToAGroup_ReachesOnlyThatGroup_AndPagesByMachine(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine eng1 = await fleet.EnrolAsync(group: "eng");
        await using TestMachine eng2 = await fleet.EnrolAsync(group: "eng");
        await using TestMachine eng3 = await fleet.EnrolAsync(group: "eng");
        await using TestMachine ops = await fleet.EnrolAsync(group: "ops");

        (string id, long machines) = await BroadcastAsync(fleet, new { group = "eng", allUsers = true, title = "Eng only", body = "b" });

        Assert.Equal(3, machines);
        foreach (TestMachine machine in new[] { eng1, eng2, eng3 })
        {
            FleetNotificationParams got = await machine.NextNotificationAsync();
            Assert.True(got.AllUsers);
            Assert.Null(got.Uid);
        }

        await Assert.ThrowsAsync<TimeoutException>(() => ops.NextNotificationAsync(TimeSpan.FromSeconds(1)));
        await eng1.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = $"{id}.{eng1.MachineId}", Uid = 1000, Outcome = "failed", At = 1 });
        await eng1.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = $"{id}.{eng1.MachineId}", Uid = 1001, Outcome = "dismissed", At = 2 });

        JsonElement all = await WaitForAsync(fleet, $"/api/v1/notifications/{id}", v => v.GetProperty("states").GetProperty("pending").GetInt64() == 0);
        Assert.Equal("eng", all.GetProperty("target").GetProperty("group").GetString());
        Assert.False(all.GetProperty("target").TryGetProperty("allMachines", out _));
        Assert.True(all.GetProperty("allUsers").GetBoolean());
        // A machine with several users counts once, under its most advanced outcome; users count one by one.
        Assert.Equal(1, all.GetProperty("states").GetProperty("dismissed").GetInt64());
        Assert.Equal(0, all.GetProperty("states").GetProperty("failed").GetInt64());
        Assert.Equal(2, all.GetProperty("states").GetProperty("delivered").GetInt64());
        Assert.Equal(1, all.GetProperty("recipients").GetProperty("failed").GetInt64());
        Assert.Equal(1, all.GetProperty("recipients").GetProperty("dismissed").GetInt64());

        string[] ordered = new[] { eng1.MachineId!, eng2.MachineId!, eng3.MachineId! }.Order(StringComparer.Ordinal).ToArray();
        JsonElement first = await fleet.GetJsonAsync($"/api/v1/notifications/{id}?limit=2");
        Assert.Equal(ordered[..2], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("machineId").GetString()!).ToArray());
        string next = first.GetProperty("next").GetString()!;
        JsonElement second = await fleet.GetJsonAsync($"/api/v1/notifications/{id}?limit=2&after={next}");
        Assert.Equal(ordered[2], Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("machineId").GetString());
        Assert.False(second.TryGetProperty("next", out _));
        JsonElement delivered = await fleet.GetJsonAsync($"/api/v1/notifications/{id}?state=delivered");
        Assert.Equal(2, delivered.GetProperty("items").GetArrayLength());
        Assert.DoesNotContain(eng1.MachineId, delivered.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("machineId").GetString()));
    }

    [Fact(Timeout = T)]
    public async Task BadBroadcasts_GetProblemDetailsNamingTheField_AndStoreNothing()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync(group: "eng");

        (HttpStatusCode Status, string Body)[] refused =
        [
            await PostAsync(fleet.Admin, new { allMachines = true, group = "eng", uid = 1, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { uid = 1, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = false, uid = 1, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { group = new string('g', 65), uid = 1, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, allUsers = true, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = true, title = "t", body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, title = "", body = "b" }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, title = "t", body = new string('b', 4097) }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, title = "t", body = "b", url = "javascript:alert(1)" }),
            await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, title = "t", body = "b", priority = 9 }),
        ];
        string[] fields = ["allMachines", "allMachines", "allMachines", "group", "uid", "uid", "title", "title", "body", "url", "priority"];

        for (int i = 0; i < refused.Length; i++)
        {
            Assert.True(refused[i].Status == HttpStatusCode.BadRequest, $"case {i}: {(int)refused[i].Status} {refused[i].Body}");
            Assert.True(refused[i].Body.Contains(fields[i], StringComparison.Ordinal), $"case {i} does not name {fields[i]}: {refused[i].Body}");
        }

        (HttpStatusCode noGroup, string noGroupBody) = await PostAsync(fleet.Admin, new { group = "nobody", uid = 1, title = "t", body = "b" });
        Assert.Equal(HttpStatusCode.NotFound, noGroup);
        Assert.Contains("nobody", noGroupBody);
        (HttpStatusCode anonymous, _) = await PostAsync(fleet.Anonymous, new { allMachines = true, uid = 1, title = "t", body = "b" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        using HttpResponseMessage anonymousGet = await fleet.Anonymous.GetAsync("/api/v1/notifications/b_nope");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);
        using HttpResponseMessage notJson = await fleet.Admin.PostAsync("/api/v1/notifications", new StringContent("{\"allMachines\": true", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using HttpResponseMessage form = await fleet.Admin.PostAsync("/api/v1/notifications", new StringContent("allMachines=true", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        using HttpResponseMessage unknown = await fleet.Admin.GetAsync("/api/v1/notifications/b_nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        (string id, _) = await BroadcastAsync(fleet, new { allMachines = true, uid = 1, title = "t", body = "b" });
        using HttpResponseMessage badState = await fleet.Admin.GetAsync($"/api/v1/notifications/{id}?state=happy");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Contains("state", await badState.Content.ReadAsStringAsync());

        // Only the one valid broadcast was stored and audited.
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit?limit=500");
        Assert.Equal(1, audit.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "broadcast.created"));
    }

    [Fact(Timeout = T)]
    public async Task Broadcast_OverTheMachineLimit_IsRefused_AndStoresNothing()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, new FleetServerLimits { MaxBroadcastMachines = 1 });
        await using TestMachine one = await fleet.EnrolAsync(group: "a");
        await using TestMachine two = await fleet.EnrolAsync(group: "b");

        (HttpStatusCode status, string body) = await PostAsync(fleet.Admin, new { allMachines = true, uid = 1, title = "t", body = "b" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 1", body);
        await Assert.ThrowsAsync<TimeoutException>(() => one.NextNotificationAsync(TimeSpan.FromSeconds(1)));
        Assert.Empty((await fleet.GetJsonAsync($"/api/v1/machines/{one.MachineId}/notifications")).GetProperty("notifications").EnumerateArray());
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit?limit=500");
        Assert.DoesNotContain(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "broadcast.created");

        // A group within the limit goes through.
        (string id, long machines) = await BroadcastAsync(fleet, new { group = "b", uid = 1, title = "t", body = "b" });
        Assert.Equal(1, machines);
        Assert.Equal($"{id}.{two.MachineId}", (await two.NextNotificationAsync()).Id);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task OutcomesReportedAtOnce_AreAllStoredBeforeTheirAnswers_AndAForeignOneIsRefusedAlone(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        var machines = new List<TestMachine>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                machines.Add(await fleet.EnrolAsync());
            }

            (string id, _) = await BroadcastAsync(fleet, new { allMachines = true, allUsers = true, title = "t", body = "b" });
            string[] copies = await Task.WhenAll(machines.Select(async m => (await m.NextNotificationAsync()).Id));

            // Every machine reports for three users at once, and machine 0 also for machine 1's copy: the group
            // commit takes them together; only the foreign one is refused, and each answer means stored.
            Task[] reports = machines.SelectMany((m, i) => Enumerable.Range(0, 3).Select(u =>
                m.Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = copies[i], Uid = (uint)(1000 + u), Outcome = "shown", At = 1 }))).ToArray();
            Task foreign = machines[0].Rpc.InvokeAsync(FleetMethods.NotificationOutcome, new OutcomeParams { Id = copies[1], Uid = 2000, Outcome = "failed", At = 1 });
            await Task.WhenAll(reports);
            Launcher.Rpc.RpcException refused = await Assert.ThrowsAsync<Launcher.Rpc.RpcException>(() => foreign);

            Assert.Equal(Launcher.Contracts.ErrorCodes.NotFound, refused.Code);
            JsonElement view = await fleet.GetJsonAsync($"/api/v1/notifications/{id}");
            Assert.Equal(18, view.GetProperty("recipients").GetProperty("shown").GetInt64());
            Assert.Equal(0, view.GetProperty("recipients").GetProperty("failed").GetInt64());
            Assert.Equal(6, view.GetProperty("states").GetProperty("shown").GetInt64());
        }
        finally
        {
            foreach (TestMachine machine in machines)
            {
                await machine.DisposeAsync();
            }
        }
    }

    internal static async Task<(string Id, long Machines)> BroadcastAsync(FleetHarness fleet, object body, HttpClient? client = null)
    {
        using HttpResponseMessage response = await (client ?? fleet.Admin).PostAsJsonAsync("/api/v1/notifications", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        JsonElement json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("id").GetString()!, json.GetProperty("machines").GetInt64());
    }

    internal static async Task<JsonElement> WaitForAsync(FleetHarness fleet, string path, Func<JsonElement, bool> done, HttpClient? client = null)
    {
        for (int i = 0; ; i++)
        {
            JsonElement view = await fleet.GetJsonAsync(path, client);
            if (done(view) || i == 100)
            {
                return view;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, object body)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/api/v1/notifications", body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
