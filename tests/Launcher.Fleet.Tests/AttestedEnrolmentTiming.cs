using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Tests.Support;
using Launcher.Platform.Attestation;
using Launcher.Platform.Tests.Tpm;
using Xunit.Abstractions;

namespace Launcher.Fleet.Tests;

/// <summary>
/// The measured run behind docs/benchmarks.md ("Enrolment with TPM attestation"): 20 full attested enrolments
/// against swtpm, the daemon's TPM work and the server's handling timed apart. It prints the medians and asserts
/// only that every enrolment succeeded (no timed assertions).
/// </summary>
[Collection(EndorsedTpmsCollection.Name)]
public sealed class AttestedEnrolmentTiming
{
    private const int Runs = 20;
    private readonly EndorsedTpms _tpms;
    private readonly ITestOutputHelper _output;

    public AttestedEnrolmentTiming(EndorsedTpms tpms, ITestOutputHelper output)
    {
        _tpms = tpms;
        _output = output;
    }

    [AttestationFact(Timeout = 300_000)]
    public async Task TwentyAttestedEnrolments_AreMeasured()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, tpmTrust: _tpms.Trust);
        using TpmMachine tpm = TpmMachine.Create(_tpms.Trusted);
        var daemon = new List<double>();
        var server = new List<double>();
        for (int i = 0; i < Runs + 1; i++)
        {
            await using TestMachine link = await fleet.ConnectAsync();
            string token = await fleet.CreateTokenAsync();
            ChallengeResult challenge = await link.ChallengeAsync();

            long t0 = Stopwatch.GetTimestamp();
            (TpmEvidenceParams evidence, AttestationKey ak) = tpm.Evidence(Base64Url.DecodeFromChars(challenge.Nonce));
            string proof = tpm.Proof(link, challenge);
            double gather = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

            long t1 = Stopwatch.GetTimestamp();
            EnrollResult pending = await link.Rpc.InvokeAsync(FleetMethods.Enroll, new EnrollParams { Token = token, Proof = proof, Facts = link.Facts, Attestation = evidence });
            double enroll = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;

            long t2 = Stopwatch.GetTimestamp();
            byte[] credential = tpm.Activate(ak, pending.Activation!);
            double activate = Stopwatch.GetElapsedTime(t2).TotalMilliseconds;

            long t3 = Stopwatch.GetTimestamp();
            EnrollResult enrolled = await link.Rpc.InvokeAsync(FleetMethods.Activate, new ActivateParams { Credential = Convert.ToBase64String(credential) });
            double commit = Stopwatch.GetElapsedTime(t3).TotalMilliseconds;
            Assert.Equal(AttestationLevels.TpmEkVerified, enrolled.AttestationLevel);

            if (i > 0)
            {
                // The first run (JIT, AK creation) is a warm-up and not counted.
                daemon.Add(gather + activate);
                server.Add(enroll + commit);
            }
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"attested enrolment, {Runs} runs: daemon side (evidence + proof + activation) median {Median(daemon):F1} ms (min {daemon.Min():F1}, max {daemon.Max():F1}); server side (fleet/enroll + fleet/activate round trips) median {Median(server):F1} ms (min {server.Min():F1}, max {server.Max():F1})"));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
