using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>
/// POST /api/v1/machines/{id}/apple-attestation with a test root injected through the server option (production
/// always uses Apple's embedded root): recorded, the serial compared, the attestation level never changed.
/// </summary>
public sealed class AppleAttestationApiTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task AChainToTheRoot_IsRecordedWithTheSerialMatch_AndTheLevelStays()
    {
        using AppleTestChain matching = AppleTestChain.Create("C02TEST123", "00008103-TEST", "15.1");
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, appleRoot: matching.Root);
        await using TestMachine mac = await fleet.ConnectAsync();
        mac.KeyClass = KeyClasses.SecureEnclave;
        mac.Facts = mac.Facts with { Serial = "C02TEST123" };
        EnrollResult enrolled = await mac.EnrollAsync(await fleet.CreateTokenAsync());
        Assert.Equal(AttestationLevels.SecureEnclaveReported, enrolled.AttestationLevel);

        JsonElement machine = await PostAsync(fleet, enrolled.MachineId, matching.Pem, HttpStatusCode.OK);
        JsonElement apple = machine.GetProperty("appleAttestation");
        Assert.Equal("match", apple.GetProperty("serialMatch").GetString());
        Assert.Equal("00008103-TEST", apple.GetProperty("udid").GetString());
        Assert.Equal("15.1", apple.GetProperty("osVersion").GetString());
        Assert.Equal(AttestationLevels.SecureEnclaveReported, machine.GetProperty("attestationLevel").GetString());
    }

    [Fact(Timeout = T)]
    public async Task AnotherSerial_IsAMismatch_AndAnotherRoot_IsRefusedAndAudited()
    {
        using AppleTestChain trusted = AppleTestChain.Create("C02OTHER999", "UDID-1", "15.0");
        using AppleTestChain foreign = AppleTestChain.Create("C02TEST123", "UDID-2", "15.0");
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, appleRoot: trusted.Root);
        await using TestMachine mac = await fleet.ConnectAsync();
        mac.KeyClass = KeyClasses.SecureEnclave;
        mac.Facts = mac.Facts with { Serial = "C02TEST123" };
        EnrollResult enrolled = await mac.EnrollAsync(await fleet.CreateTokenAsync());

        JsonElement machine = await PostAsync(fleet, enrolled.MachineId, trusted.Pem, HttpStatusCode.OK);
        Assert.Equal("mismatch", machine.GetProperty("appleAttestation").GetProperty("serialMatch").GetString());

        JsonElement refused = await PostAsync(fleet, enrolled.MachineId, foreign.Pem, HttpStatusCode.BadRequest);
        Assert.Contains("does not chain to the Apple Enterprise Attestation Root CA", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement after = await fleet.GetJsonAsync($"/api/v1/machines/{enrolled.MachineId}");
        Assert.Equal("UDID-1", after.GetProperty("appleAttestation").GetProperty("udid").GetString());
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "apple-attestation.refused");

        await PostAsync(fleet, "m_nosuchmachine", trusted.Pem, HttpStatusCode.NotFound);
        await PostAsync(fleet, enrolled.MachineId, "not a pem", HttpStatusCode.BadRequest);
    }

    private static async Task<JsonElement> PostAsync(FleetHarness fleet, string id, string pem, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await fleet.Admin.PostAsJsonAsync($"/api/v1/machines/{id}/apple-attestation", new { chain = pem });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
