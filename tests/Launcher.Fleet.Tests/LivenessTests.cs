using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>The server calls the daemon: machine/facts and identity/prove for a nonce the server chose.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LivenessTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task Check_AsksTheMachineForFactsAndAFreshProof_ByTheEnrolledKey()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        machine.Facts = machine.Facts with { OsVersion = "7" };

        using HttpResponseMessage response = await fleet.Admin.PostAsync($"/api/v1/machines/{machine.MachineId}/check", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("proofVerified").GetBoolean());
        Assert.Equal("7", result.GetProperty("facts").GetProperty("osVersion").GetString());
        JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{machine.MachineId}");
        Assert.Equal("7", view.GetProperty("facts").GetProperty("osVersion").GetString());
    }

    [Fact(Timeout = T)]
    public async Task Check_WithAProofByAnotherKey_Fails_AndIsAudited()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        using ECDsa swapped = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        machine.ProveWith = swapped;

        using HttpResponseMessage response = await fleet.Admin.PostAsync($"/api/v1/machines/{machine.MachineId}/check", null);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("not by the enrolled key", await response.Content.ReadAsStringAsync());
        JsonElement audit = await fleet.GetJsonAsync($"/api/v1/audit?machine={machine.MachineId}");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "machine.check-failed");
    }

    [Fact(Timeout = T)]
    public async Task Check_OfAnOfflineOrUnknownMachine_SaysSo()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        TestMachine machine = await fleet.EnrolAsync();
        string id = machine.MachineId!;
        await machine.DisposeAsync();

        // The server notices the closed connection promptly; poll rather than guess how promptly.
        HttpResponseMessage offline = await fleet.Admin.PostAsync($"/api/v1/machines/{id}/check", null);
        for (int attempt = 0; offline.StatusCode != HttpStatusCode.Conflict && attempt < 50; attempt++)
        {
            offline.Dispose();
            await Task.Delay(100);
            offline = await fleet.Admin.PostAsync($"/api/v1/machines/{id}/check", null);
        }
        using HttpResponseMessage unknown = await fleet.Admin.PostAsync("/api/v1/machines/m_nope/check", null);

        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Contains("not connected", await offline.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        offline.Dispose();
    }
}
