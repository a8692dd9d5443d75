using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Store;
using Launcher.Fleet.Tests.Support;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests;

/// <summary>
/// An enrolment token's minimum attestation level (<c>token create --min-level</c>): the strictest of the token's,
/// the group's and the global minimum applies; a refusal names the requirement, is audited, takes no token use and
/// writes no machine.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TokenLevelTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public TokenLevelTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ASoftwareKey_WithATokenRequiringTpmEkVerified_IsRefusedByTheToken_AuditedWithoutUsingTheToken(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string token = await fleet.CreateTokenAsync(uses: 1, minLevel: AttestationLevels.TpmEkVerified);
        await using TestMachine machine = await fleet.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.EnrollAsync(token));

        Assert.Equal(FleetErrorCodes.PolicyRefused, error.Code);
        Assert.Contains("the enrolment token et_", error.Message, StringComparison.Ordinal);
        Assert.Contains("requires attestation level tpm-ek-verified or stronger", error.Message, StringComparison.Ordinal);
        Assert.Contains("this machine is software", error.Message, StringComparison.Ordinal);
        Assert.Contains("(refused by: token)", error.Message, StringComparison.Ordinal);
        JsonElement machines = await fleet.GetJsonAsync("/api/v1/machines");
        Assert.Empty(machines.GetProperty("machines").EnumerateArray());
        EnrolmentTokenRow row = Assert.Single(await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None));
        Assert.Equal(1, row.UsesLeft);
        Assert.Equal(AttestationLevels.TpmEkVerified, row.MinLevel);
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        JsonElement refused = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "enrol.refused");
        Assert.Equal("token:" + row.Id, refused.GetProperty("actor").GetString());
        Assert.Contains("(refused by: token)", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The token's one use is still there: a machine it admits enrols with it.
        string admitting = await fleet.CreateTokenAsync(minLevel: AttestationLevels.Software);
        await using TestMachine other = await fleet.ConnectAsync();
        EnrollResult enrolled = await other.EnrollAsync(admitting);
        Assert.Equal(AttestationLevels.Software, enrolled.AttestationLevel);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ASoftwareKey_WithATokenRequiringSoftware_Enrols(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine machine = await fleet.ConnectAsync();

        EnrollResult enrolled = await machine.EnrollAsync(await fleet.CreateTokenAsync(minLevel: AttestationLevels.Software));

        Assert.Equal(AttestationLevels.Software, enrolled.AttestationLevel);
        EnrolmentTokenRow row = Assert.Single(await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None));
        Assert.Equal(0, row.UsesLeft);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TheStrictestOfTokenGroupAndGlobal_Applies_AndTheRefusalNamesIt(string store)
    {
        string policy = Path.Combine(Path.GetTempPath(), "lfleet-policy-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(policy, """
            {"enrolment": {"minimumAttestationLevel": "secure-enclave-reported",
                           "groupMinimumAttestationLevel": {"servers": "tpm-unverified", "lab": "software"}},
             "grants": [{"grant": "fleet:member"}]}
            """);
        try
        {
            await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres, policyFile: policy);

            // Group stricter than token and global: the group refuses.
            string byGroup = await RefusedAsync(fleet, KeyClasses.SecureEnclave, await fleet.CreateTokenAsync(group: "servers", minLevel: AttestationLevels.Software));
            Assert.Contains("(refused by: group)", byGroup, StringComparison.Ordinal);
            Assert.Contains("for group servers", byGroup, StringComparison.Ordinal);

            // A group weaker than the global minimum does not loosen it: the global one refuses.
            string byGlobal = await RefusedAsync(fleet, KeyClasses.Software, await fleet.CreateTokenAsync(group: "lab"));
            Assert.Contains("(refused by: global)", byGlobal, StringComparison.Ordinal);

            // Token stricter than global: both refuse a software key, the strictest named first.
            string both = await RefusedAsync(fleet, KeyClasses.Software, await fleet.CreateTokenAsync(minLevel: AttestationLevels.TpmEkAllowlisted));
            Assert.Contains("(refused by: token, global)", both, StringComparison.Ordinal);

            // A Secure Enclave key meets global (and lab's) minimum; a token asking for a TPM refuses it alone.
            string byToken = await RefusedAsync(fleet, KeyClasses.SecureEnclave, await fleet.CreateTokenAsync(group: "lab", minLevel: AttestationLevels.TpmUnverified));
            Assert.Contains("(refused by: token)", byToken, StringComparison.Ordinal);
            await using TestMachine mac = await fleet.ConnectAsync();
            mac.KeyClass = KeyClasses.SecureEnclave;
            EnrollResult enrolled = await mac.EnrollAsync(await fleet.CreateTokenAsync(group: "lab", minLevel: AttestationLevels.SecureEnclaveReported));
            Assert.Equal(AttestationLevels.SecureEnclaveReported, enrolled.AttestationLevel);

            JsonElement machines = await fleet.GetJsonAsync("/api/v1/machines");
            Assert.Single(machines.GetProperty("machines").EnumerateArray());
            JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
            Assert.Equal(4, audit.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "enrol.refused"));
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AReenrolmentWithAGrouplessToken_MeetsTheMachinesGroupMinimum(string store)
    {
        string policy = Path.Combine(Path.GetTempPath(), "lfleet-policy-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(policy, """{"enrolment": {"groupMinimumAttestationLevel": {"macs": "secure-enclave-reported"}}, "grants": [{"grant": "fleet:member"}]}""");
        try
        {
            await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres, policyFile: policy);
            await using TestMachine mac = await fleet.ConnectAsync();
            mac.KeyClass = KeyClasses.SecureEnclave;
            await mac.EnrollAsync(await fleet.CreateTokenAsync(group: "macs"));

            // The same machine (same serial) comes back with a software key and a token without a group.
            await using TestMachine downgraded = await fleet.ConnectAsync();
            downgraded.Facts = mac.Facts;
            string groupless = await fleet.CreateTokenAsync();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => downgraded.EnrollAsync(groupless));

            Assert.Equal(FleetErrorCodes.PolicyRefused, error.Code);
            Assert.Contains("for group macs", error.Message, StringComparison.Ordinal);
            JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{mac.MachineId}");
            Assert.Equal(KeyClasses.SecureEnclave, view.GetProperty("keyClass").GetString());
            Assert.Equal(mac.PublicKey.Thumbprint, view.GetProperty("thumbprint").GetString());
            Assert.Contains(await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None), t => t.Grp is null && t.UsesLeft == 1);
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Fact]
    public void Requirements_AreCombined_StrictestFirst()
    {
        var policy = new PolicyEngine(
            new PolicyDocument
            {
                Enrolment = new EnrolmentRule
                {
                    MinimumAttestationLevel = AttestationLevels.Software,
                    GroupMinimumAttestationLevel = new Dictionary<string, string> { ["servers"] = AttestationLevels.TpmEkAllowlisted },
                },
            },
            "test");

        Assert.Null(policy.RefuseAttestationLevel(AttestationLevels.TpmEkVerified, "servers", "et_1", AttestationLevels.TpmEkVerified));
        Assert.Null(policy.RefuseAttestationLevel(AttestationLevels.Software, null, "et_1", null));
        LevelRefusal refusal = policy.RefuseAttestationLevel(AttestationLevels.TpmUnverified, "servers", "et_1", AttestationLevels.TpmEkVerified)!;
        Assert.Equal(["token", "group"], refusal.Refusing.Select(r => r.Source));
        Assert.Equal("token", refusal.Source);
        Assert.Equal("group", policy.RefuseAttestationLevel(AttestationLevels.TpmUnverified, "servers", "et_1", AttestationLevels.Software)!.Source);
        Assert.Equal("global", policy.RefuseAttestationLevel(AttestationLevels.None, "lab", "et_1", null)!.Source);
    }

    private static async Task<string> RefusedAsync(FleetHarness fleet, string keyClass, string token)
    {
        await using TestMachine machine = await fleet.ConnectAsync();
        machine.KeyClass = keyClass;
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.EnrollAsync(token));
        Assert.Equal(FleetErrorCodes.PolicyRefused, error.Code);
        return error.Message;
    }
}
