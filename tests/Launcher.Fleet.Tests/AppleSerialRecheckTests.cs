using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>
/// An Apple MDA certificate's serial comparison follows the serial the machine reports: it is recomputed when the
/// machine re-enrols and when a check brings fresh facts, so the API and the console never show a stale result.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AppleSerialRecheckTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public AppleSerialRecheckTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TheSerialMatch_IsRecomputed_OnReenrolmentAndOnFreshFacts(string store)
    {
        using AppleTestChain chain = AppleTestChain.Create("C02APPLE001", "00008103-RECHECK", "15.2");
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres, appleRoot: chain.Root);
        await using TestMachine mac = await fleet.ConnectAsync();
        mac.KeyClass = KeyClasses.SecureEnclave;
        mac.Facts = mac.Facts with { Serial = "C02APPLE001" };
        string id = (await mac.EnrollAsync(await fleet.CreateTokenAsync())).MachineId;
        using (HttpResponseMessage recorded = await fleet.Admin.PostAsJsonAsync($"/api/v1/machines/{id}/apple-attestation", new { chain = chain.Pem }))
        {
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        Assert.Equal("match", await SerialMatchAsync(fleet, id));

        // The same machine re-enrols (same key) reporting another serial: mismatch at once.
        await using TestMachine again = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), EnrolmentTests.CloneKey(mac));
        again.KeyClass = KeyClasses.SecureEnclave;
        again.Facts = mac.Facts with { Serial = "C02SWAPPED9" };
        Assert.Equal(id, (await again.EnrollAsync(await fleet.CreateTokenAsync())).MachineId);

        Assert.Equal("mismatch", await SerialMatchAsync(fleet, id));

        // A check brings fresh facts from the connected machine: back to its attested serial, a match again.
        again.Facts = again.Facts with { Serial = " C02APPLE001 " };
        using (HttpResponseMessage checkedNow = await fleet.Admin.PostAsync($"/api/v1/machines/{id}/check", null))
        {
            Assert.Equal(HttpStatusCode.OK, checkedNow.StatusCode);
        }

        Assert.Equal("match", await SerialMatchAsync(fleet, id));
        JsonElement apple = (await fleet.GetJsonAsync($"/api/v1/machines/{id}")).GetProperty("appleAttestation");
        Assert.Equal("C02APPLE001", apple.GetProperty("serial").GetString());
        Assert.Equal("00008103-RECHECK", apple.GetProperty("udid").GetString());

        // Each change is in the audit log, with both serials.
        JsonElement audit = await fleet.GetJsonAsync($"/api/v1/audit?machine={id}");
        List<string> rechecks = audit.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "apple-attestation.serial-rechecked")
            .Select(e => e.GetProperty("detail").GetString()!)
            .ToList();
        Assert.Equal(2, rechecks.Count);
        Assert.Contains("serial match -> mismatch: attested C02APPLE001, now reported C02SWAPPED9", rechecks);
        Assert.Contains(rechecks, d => d.StartsWith("serial mismatch -> match", StringComparison.Ordinal));
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task WithoutACertificate_FreshFactsRecordNoComparison(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine mac = await fleet.ConnectAsync();
        string id = (await mac.EnrollAsync(await fleet.CreateTokenAsync())).MachineId;
        mac.Facts = mac.Facts with { Serial = "C02OTHER000" };

        using HttpResponseMessage checkedNow = await fleet.Admin.PostAsync($"/api/v1/machines/{id}/check", null);

        Assert.Equal(HttpStatusCode.OK, checkedNow.StatusCode);
        JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{id}");
        Assert.False(view.TryGetProperty("appleAttestation", out _));
        Assert.Equal("C02OTHER000", view.GetProperty("facts").GetProperty("serial").GetString());
    }

    private static async Task<string?> SerialMatchAsync(FleetHarness fleet, string id) =>
        (await fleet.GetJsonAsync($"/api/v1/machines/{id}")).GetProperty("appleAttestation").GetProperty("serialMatch").GetString();
}
