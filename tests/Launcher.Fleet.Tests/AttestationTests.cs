using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;
using Launcher.Platform.Tests.Tpm;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests;

/// <summary>
/// Hardware attestation at enrolment against real swtpm instances (issue 7): a TPM key enrols as tpm-ek-verified
/// with its maker, and each attack of section 3 is refused with its reason in the audit log and no machine left.
/// </summary>
[Collection(EndorsedTpmsCollection.Name)]
public sealed class AttestationTests
{
    private const int T = 120_000;
    private readonly EndorsedTpms _tpms;

    public AttestationTests(EndorsedTpms tpms)
    {
        _tpms = tpms;
    }

    [AttestationFact(Timeout = T)]
    public async Task TpmKey_WithEvidenceAndActivation_IsTpmEkVerifiedWithTheMaker()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        await using TestMachine link = await fleet.ConnectAsync();

        (EnrollResult pending, AttestationKey ak) = await EnrolWithEvidenceAsync(fleet, link, tpm);
        Assert.Equal(string.Empty, pending.MachineId);
        Assert.Equal(0, await fleet.Server.Context.Machines.CountAsync(CancellationToken.None));
        byte[] credential = tpm.Activate(ak, pending.Activation!);
        EnrollResult enrolled = await link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = Convert.ToBase64String(credential) });

        Assert.StartsWith("m_", enrolled.MachineId, StringComparison.Ordinal);
        Assert.Equal(AttestationLevels.TpmEkVerified, enrolled.AttestationLevel);
        Assert.False(string.IsNullOrEmpty(enrolled.TpmMaker));
        JsonElement machine = await fleet.GetJsonAsync($"/api/v1/machines/{enrolled.MachineId}");
        Assert.Equal(AttestationLevels.TpmEkVerified, machine.GetProperty("attestationLevel").GetString());
        Assert.Equal(enrolled.TpmMaker, machine.GetProperty("evidence").GetProperty("tpmMaker").GetString());
        Assert.True(machine.GetProperty("evidence").GetProperty("hardwareVerified").GetBoolean());

        // The connection is authenticated: a second activation or enrolment on it is refused.
        await Assert.ThrowsAsync<RpcException>(() => link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = Convert.ToBase64String(credential) }));
    }

    [Fact(Timeout = T)]
    public async Task SoftwareKeyClaimingTpm_WithoutEvidence_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        await using TestMachine link = await fleet.ConnectAsync();
        link.KeyClass = KeyClasses.Tpm;
        string token = await fleet.CreateTokenAsync();

        await AssertRefusedAsync(fleet, () => link.EnrollAsync(token), FleetErrorCodes.AttestationFailed, "key_class tpm without TPM evidence");
    }

    [AttestationFact(Timeout = T)]
    public async Task SoftwareKeyClaimingTpm_WithTheTpmsEvidence_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        await using TestMachine link = await fleet.ConnectAsync();
        ChallengeResult challenge = await link.ChallengeAsync();
        (TpmEvidenceParams evidence, _) = tpm.Evidence(Nonce(challenge));
        string token = await fleet.CreateTokenAsync();

        // The proof is signed by the software key of the test client, the evidence certifies the TPM's key.
        string proof = link.Proof(challenge.Audience, challenge.Nonce, keyClass: KeyClasses.Tpm);
        await AssertRefusedAsync(fleet, () => Enrol(link, token, proof, evidence), FleetErrorCodes.AttestationFailed, "is not the key that signs this machine");
    }

    [AttestationFact(Timeout = T)]
    public async Task ValidCertifyOfAnotherKey_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        using TpmMachine other = TpmMachine.Create(_tpms.Trusted);
        other.Store.Dispose(); // its key blob stays in other.Key; one open TPM context at a time on this swtpm
        await using TestMachine link = await fleet.ConnectAsync();
        ChallengeResult challenge = await link.ChallengeAsync();

        // The AK certifies the other key (a genuine certify), sent with this key's public area and proofs.
        (TpmEvidenceParams mine, _) = tpm.Evidence(RandomNumberGenerator.GetBytes(32));
        (TpmEvidenceParams ofOther, _) = tpm.Evidence(Nonce(challenge), certified: other.Key);
        TpmEvidenceParams evidence = ofOther with { KeyPublic = mine.KeyPublic };
        string token = await fleet.CreateTokenAsync();

        await AssertRefusedAsync(fleet, () => Enrol(link, token, tpm.Proof(link, challenge), evidence), FleetErrorCodes.AttestationFailed, "the certified object is not the machine key");
    }

    [AttestationFact(Timeout = T)]
    public async Task ReplayedCertifyFromAnEarlierEnrolment_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        await using TestMachine link = await fleet.ConnectAsync();
        ChallengeResult earlier = await link.ChallengeAsync();
        (TpmEvidenceParams old, _) = tpm.Evidence(Nonce(earlier));
        ChallengeResult now = await link.ChallengeAsync();
        string token = await fleet.CreateTokenAsync();

        await AssertRefusedAsync(fleet, () => Enrol(link, token, tpm.Proof(link, now), old), FleetErrorCodes.AttestationFailed, "a replayed or foreign certify");
    }

    [AttestationFact(Timeout = T)]
    public async Task EkCertificateOfAnotherEk_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        using TpmMachine other = TpmMachine.Create(_tpms.Untrusted);
        byte[] otherCertificate = other.Attestation.ReadEndorsementCertificate(EndorsementKeyKind.Rsa2048)
            ?? throw new InvalidOperationException("the second swtpm has no RSA EK certificate");
        await using TestMachine link = await fleet.ConnectAsync();
        ChallengeResult challenge = await link.ChallengeAsync();
        (TpmEvidenceParams evidence, _) = tpm.Evidence(Nonce(challenge));
        string token = await fleet.CreateTokenAsync();

        await AssertRefusedAsync(fleet, () => Enrol(link, token, tpm.Proof(link, challenge), evidence with { EkCertificate = Convert.ToBase64String(otherCertificate) }),
            FleetErrorCodes.AttestationFailed, "the EK certificate is for another key than the EK public key presented");
    }

    [AttestationFact(Timeout = T)]
    public async Task EkOfAnUntrustedCa_IsTpmUnverified_AndRefusedWhenThePolicyRequiresEkVerified()
    {
        await using (FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust))
        {
            using TpmMachine tpm = TpmMachine.Create(_tpms.Untrusted);
            await using TestMachine link = await fleet.ConnectAsync();
            (EnrollResult pending, AttestationKey ak) = await EnrolWithEvidenceAsync(fleet, link, tpm);
            EnrollResult enrolled = await link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = Convert.ToBase64String(tpm.Activate(ak, pending.Activation!)) });

            Assert.Equal(AttestationLevels.TpmUnverified, enrolled.AttestationLevel);
            Assert.Null(enrolled.TpmMaker);
            JsonElement machine = await fleet.GetJsonAsync($"/api/v1/machines/{enrolled.MachineId}");
            Assert.Equal(AttestationLevels.TpmUnverified, machine.GetProperty("attestationLevel").GetString());
            Assert.Contains("EK not verified", machine.GetProperty("evidence").GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        string policy = Path.Combine(Path.GetTempPath(), "lfleet-policy-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(policy, """{"enrolment": {"groupMinimumAttestationLevel": {"secure": "tpm-ek-verified"}}, "grants": [{"grant": "fleet:member"}]}""");
        try
        {
            await using FleetHarness strict = await FleetHarness.StartAsync("sqlite", null, policyFile: policy, tpmTrust: _tpms.Trust);
            using TpmMachine tpm = TpmMachine.Create(_tpms.Untrusted);
            await using TestMachine link = await strict.ConnectAsync();
            ChallengeResult challenge = await link.ChallengeAsync();
            (TpmEvidenceParams evidence, _) = tpm.Evidence(Nonce(challenge));
            string token = await strict.CreateTokenAsync(group: "secure");

            await AssertRefusedAsync(strict, () => Enrol(link, token, tpm.Proof(link, challenge), evidence), FleetErrorCodes.PolicyRefused, "requires attestation level tpm-ek-verified");
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [AttestationFact(Timeout = T)]
    public async Task WrongCredentialActivationAnswer_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        await using TestMachine link = await fleet.ConnectAsync();
        (EnrollResult pending, _) = await EnrolWithEvidenceAsync(fleet, link, tpm);
        Assert.NotNull(pending.Activation);

        await AssertRefusedAsync(fleet, () => link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
            FleetErrorCodes.AttestationFailed, "the answer is not the credential");

        // The pending enrolment is gone after one answer: the right answer now finds nothing.
        RpcException again = await Assert.ThrowsAsync<RpcException>(() => link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = "AAAA" }));
        Assert.Equal(FleetErrorCodes.AttestationFailed, again.Code);
        Assert.Contains("No activation challenge is pending", again.Message, StringComparison.Ordinal);
    }

    [AttestationFact(Timeout = T)]
    public async Task TamperedAkPublicArea_IsRefused()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        await using TestMachine link = await fleet.ConnectAsync();
        ChallengeResult challenge = await link.ChallengeAsync();
        (TpmEvidenceParams evidence, _) = tpm.Evidence(Nonce(challenge));
        string token = await fleet.CreateTokenAsync();

        // Clear sensitiveDataOrigin in the AK's attributes (a key imported from outside the TPM would look so).
        byte[] ak = Convert.FromBase64String(evidence.AkPublic);
        ak[7] &= 0xdf;
        await AssertRefusedAsync(fleet, () => Enrol(link, token, tpm.Proof(link, challenge), evidence with { AkPublic = Convert.ToBase64String(ak) }),
            FleetErrorCodes.AttestationFailed, "the AK");

        // A different point in the AK's unique field: the signature no longer verifies (or the point is invalid).
        await using TestMachine second = await fleet.ConnectAsync();
        ChallengeResult challenge2 = await second.ChallengeAsync();
        (TpmEvidenceParams evidence2, _) = tpm.Evidence(Nonce(challenge2));
        byte[] ak2 = Convert.FromBase64String(evidence2.AkPublic);
        ak2[^1] ^= 0x01;
        await AssertRefusedAsync(fleet, () => Enrol(second, token, tpm.Proof(second, challenge2), evidence2 with { AkPublic = Convert.ToBase64String(ak2) }),
            FleetErrorCodes.AttestationFailed, "Attestation failed");
    }

    [AttestationFact]
    public void MachineKeyBlobsCopiedToASecondTpm_CannotBeLoadedOrCertified()
    {
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        string copy = Directory.CreateTempSubdirectory("lfleet-copied-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(tpm.StateDirectory))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            using var store = new TpmKeyStore(copy, _tpms.Untrusted.Tcti);
            Exception error = Record.Exception(() =>
            {
                ISigningKey key = store.Load();
                AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
                store.Attestation.CertifyMachineKey(key, ak, RandomNumberGenerator.GetBytes(32));
            });

            Assert.IsType<KeyUnusableException>(error);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static byte[] Nonce(ChallengeResult challenge) => Base64Url.DecodeFromChars(challenge.Nonce);

    private static Task<EnrollResult> Enrol(TestMachine link, string token, string proof, TpmEvidenceParams evidence) =>
        link.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = proof, Facts = link.Facts, Attestation = evidence });

    private static async Task<(EnrollResult Pending, AttestationKey Ak)> EnrolWithEvidenceAsync(FleetHarness fleet, TestMachine link, TpmMachine tpm)
    {
        ChallengeResult challenge = await link.ChallengeAsync();
        (TpmEvidenceParams evidence, AttestationKey ak) = tpm.Evidence(Nonce(challenge));
        string token = await fleet.CreateTokenAsync();
        EnrollResult pending = await Enrol(link, token, tpm.Proof(link, challenge), evidence);
        Assert.NotNull(pending.Activation);
        return (pending, ak);
    }

    private static async Task AssertRefusedAsync(FleetHarness fleet, Func<Task> call, int code, string reason)
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await fleet.Server.Context.Machines.CountAsync(CancellationToken.None));
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("detail").GetString() ?? string.Empty), d => d.Contains(reason.Replace("Attestation failed", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
    }
}
