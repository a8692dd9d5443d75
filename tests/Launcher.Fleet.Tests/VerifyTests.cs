using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>POST /api/v1/verify: a relying service checks a machine proof made for its own audience and nonce.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VerifyTests
{
    private const int T = 60_000;
    private const string Audience = "https://vpn.example.org";
    private readonly PostgresFixture _postgres;

    public VerifyTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AFreshProof_GivesTheMachineItsEvidenceAndGrants_Once(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine machine = await fleet.EnrolAsync();
        string nonce = "relying-nonce-" + Guid.NewGuid().ToString("N");
        string proof = machine.Proof(Audience, nonce, machine.MachineId, cb: string.Empty);

        using HttpResponseMessage response = await fleet.Anonymous.PostAsJsonAsync("/api/v1/verify", new { proof, audience = Audience, nonce });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(machine.MachineId, result.GetProperty("machineId").GetString());
        Assert.Equal("software", result.GetProperty("keyClass").GetString());
        Assert.Equal("reported", result.GetProperty("evidence").GetProperty("keyClassSource").GetString());
        Assert.Contains(result.GetProperty("grants").EnumerateArray(), g => g.GetProperty("grant").GetString() == "fleet:member");

        using HttpResponseMessage replay = await fleet.Anonymous.PostAsJsonAsync("/api/v1/verify", new { proof, audience = Audience, nonce });
        await AssertRefusedAsync(replay, FleetErrorCodes.NonceRejected, "replay");
    }

    [Fact(Timeout = T)]
    public async Task WrongAudienceNonceKeyOrRevoked_AreRefusedWithTheReason()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine machine = await fleet.EnrolAsync();
        await using TestMachine stranger = await fleet.ConnectAsync();

        using HttpResponseMessage otherAudience = await Verify(fleet, machine.Proof("https://other.example", "nonce-0001"), Audience, "nonce-0001");
        await AssertRefusedAsync(otherAudience, FleetErrorCodes.InvalidProof, "aud");

        using HttpResponseMessage otherNonce = await Verify(fleet, machine.Proof(Audience, "nonce-0002"), Audience, "nonce-9999");
        await AssertRefusedAsync(otherNonce, FleetErrorCodes.NonceRejected, "nonce");

        using HttpResponseMessage expired = await Verify(fleet, machine.Proof(Audience, "nonce-0003", issuedAt: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600), Audience, "nonce-0003");
        await AssertRefusedAsync(expired, FleetErrorCodes.InvalidProof, "exp");

        using HttpResponseMessage unknown = await Verify(fleet, stranger.Proof(Audience, "nonce-0004"), Audience, "nonce-0004");
        await AssertRefusedAsync(unknown, FleetErrorCodes.UnknownMachine, "key");

        (await fleet.Admin.PostAsync($"/api/v1/machines/{machine.MachineId}/revoke", null)).Dispose();
        using HttpResponseMessage revoked = await Verify(fleet, machine.Proof(Audience, "nonce-0005"), Audience, "nonce-0005");
        await AssertRefusedAsync(revoked, FleetErrorCodes.MachineRevoked, "revoked");

        using HttpResponseMessage malformed = await Verify(fleet, "not.a.jws", Audience, "nonce-0006");
        await AssertRefusedAsync(malformed, FleetErrorCodes.InvalidProof, "shape");

        using HttpResponseMessage missing = await fleet.Anonymous.PostAsJsonAsync("/api/v1/verify", new { audience = Audience });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    private static Task<HttpResponseMessage> Verify(FleetHarness fleet, string proof, string audience, string nonce) =>
        fleet.Anonymous.PostAsJsonAsync("/api/v1/verify", new { proof, audience, nonce });

    private static async Task AssertRefusedAsync(HttpResponseMessage response, int code, string check)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetInt32());
        Assert.Equal(check, problem.GetProperty("check").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}
