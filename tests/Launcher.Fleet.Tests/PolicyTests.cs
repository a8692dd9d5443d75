using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PolicyTests
{
    private const int T = 60_000;

    [Fact]
    public void Grants_FollowKeyClassGroupAndRevocation_EachWithItsReason()
    {
        var policy = new PolicyEngine(
            new PolicyDocument
            {
                Grants =
                [
                    new GrantRule { Grant = "fleet:member" },
                    new GrantRule { Grant = "vpn", KeyClasses = [KeyClasses.Tpm, KeyClasses.SecureEnclave], Groups = ["eng"] },
                    new GrantRule { Grant = "prod-ssh", AttestationLevels = [AttestationLevels.TpmEkVerified] },
                ],
            },
            "test");

        IReadOnlyList<GrantDecision> tpmEng = policy.Evaluate(KeyClasses.Tpm, AttestationLevels.TpmUnverified, "eng", revoked: false);
        IReadOnlyList<GrantDecision> softwareEng = policy.Evaluate(KeyClasses.Software, AttestationLevels.Software, "eng", revoked: false);
        IReadOnlyList<GrantDecision> revoked = policy.Evaluate(KeyClasses.Tpm, AttestationLevels.TpmEkVerified, "eng", revoked: true);

        Assert.Equal(["fleet:member", "vpn"], tpmEng.Select(g => g.Grant));
        GrantDecision vpn = tpmEng.Single(g => g.Grant == "vpn");
        Assert.Contains("key class tpm is one of [tpm, secure-enclave]", vpn.Why);
        Assert.Contains("group eng is one of [eng]", vpn.Why);
        Assert.Equal(["fleet:member"], softwareEng.Select(g => g.Grant));
        Assert.Empty(revoked);
    }

    [Fact(Timeout = T)]
    public async Task APolicyFile_DecidesWhatTheApiShows()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """
            {
              // comments are allowed
              "grants": [
                {"grant": "wiki", "groups": ["eng"]},
                {"grant": "printing"}
              ]
            }
            """);
        try
        {
            await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, policyFile: file);
            await using TestMachine eng = await fleet.EnrolAsync(group: "eng");
            await using TestMachine sales = await fleet.EnrolAsync(group: "sales");

            JsonElement engView = await fleet.GetJsonAsync($"/api/v1/machines/{eng.MachineId}");
            JsonElement salesView = await fleet.GetJsonAsync($"/api/v1/machines/{sales.MachineId}");

            Assert.Equal(["wiki", "printing"], engView.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grant").GetString()!));
            Assert.Equal(["printing"], salesView.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("grant").GetString()!));
            Assert.Contains(file, engView.GetProperty("grants")[0].GetProperty("why").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ABrokenPolicyFile_IsAConfigurationError()
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, """{"grants": [{"grnt": "typo"}]}""");
        try
        {
            FleetConfigurationException error = Assert.Throws<FleetConfigurationException>(() => PolicyEngine.Load(file));
            Assert.Contains(file, error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
