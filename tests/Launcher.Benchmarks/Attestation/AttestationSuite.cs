using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Launcher.Benchmarks.Harness;
using Launcher.Benchmarks.Identity;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;

namespace Launcher.Benchmarks.Attestation;

/// <summary>
/// Suite <c>attestation</c>: the daemon side of a TPM-attested enrolment against an endorsed swtpm (EKs and EK
/// certificates from swtpm-localca), through the same <see cref="ITpmAttestation"/> the daemon calls: EK read, EK
/// certificate read, AK load from its files, TPM2_Certify of the machine key, TPM2_ActivateCredential. One store
/// (one TPM connection) serves every run, as in the daemon. Credentials are made beforehand by
/// <c>tpm2_makecredential -T none</c> (the server's side, not timed here), one per run.
/// </summary>
internal sealed class AttestationSuite
{
    private readonly RepoLayout _layout;
    private readonly BenchOptions _options;
    private readonly string _work;
    private readonly TextWriter _log;
    private readonly JsonObject _json = [];
    private readonly List<Figure> _figures = [];

    public AttestationSuite(RepoLayout layout, BenchOptions options, string workDirectory, TextWriter log)
    {
        _layout = layout;
        _options = options;
        _work = workDirectory;
        _log = log;
    }

    private int Runs => _options.Quick ? 5 : 20;

    public async Task<(JsonObject Json, IReadOnlyList<Figure> Figures)> RunAsync()
    {
        string? missing = MissingPrerequisite();
        if (missing is not null)
        {
            _log.WriteLine($"attestation: skipped: {missing}");
            _json["attestationSkipped"] = missing;
            _figures.Add(new Figure("attestSequenceMsRsa", "EK + cert + AK load + certify + activate (RSA EK)", null, "ms", double.NaN, false, missing));
            _figures.Add(new Figure("attestSequenceMsP384", "EK + cert + AK load + certify + activate (P-384 EK)", null, "ms", double.NaN, false, missing));
            return (_json, _figures);
        }

        await using Swtpm swtpm = await Swtpm.StartAsync(Path.Combine(_work, "swtpm"), endorsed: true).ConfigureAwait(false);
        string state = Directory.CreateDirectory(Path.Combine(_work, "state")).FullName;
        using var store = new TpmKeyStore(state, swtpm.Tcti);
        ISigningKey machineKey = store.Create();
        _ = store.Attestation.LoadOrCreateAttestationKey();

        foreach ((EndorsementKeyKind kind, string key, string label) in new[]
        {
            (EndorsementKeyKind.Rsa2048, "Rsa", "RSA EK"),
            (EndorsementKeyKind.EccP384, "P384", "P-384 EK"),
        })
        {
            JsonObject result;
            try
            {
                result = Measure(store, machineKey, kind, state);
            }
            catch (Exception ex) when (ex is KeyUnusableException or NotSupportedException or CredentialRejectedException or ArgumentException)
            {
                // The harness reports InvalidOperationException as a failed suite.
                throw new InvalidOperationException($"attestation with the {label}: {ex.Message}", ex);
            }

            _json["sequence" + key] = result;
            double median = result["totalMs"]!["p50Ms"]!.GetValue<double>();
            _figures.Add(new Figure("attestSequenceMs" + key, $"EK + cert + AK load + certify + activate ({label})", median, "ms", double.NaN, false, $"median of {Runs}"));
            _log.WriteLine($"attestation ({label}): median {median:0.0} ms over {Runs} runs");
        }

        _json["runs"] = Runs;
        return (_json, _figures);
    }

    private JsonObject Measure(TpmKeyStore store, ISigningKey machineKey, EndorsementKeyKind kind, string state)
    {
        ITpmAttestation attestation = store.Attestation;
        AttestationKey ak = attestation.LoadOrCreateAttestationKey();
        byte[] ekArea = attestation.ReadEndorsementKey(kind).PublicArea;
        int total = Runs + 2; // two warm-up runs, not recorded
        var secrets = new List<byte[]>();
        var credentials = new List<(byte[] Blob, byte[] Secret)>();
        for (int i = 0; i < total; i++)
        {
            byte[] secret = RandomNumberGenerator.GetBytes(32);
            secrets.Add(secret);
            credentials.Add(MakeCredential(ekArea, ak.Name, secret, state));
        }

        string[] steps = ["ekPublic", "ekCertificate", "akLoad", "certify", "activate", "total"];
        var ticks = steps.ToDictionary(step => step, _ => new List<long>());
        for (int i = 0; i < total; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ = attestation.ReadEndorsementKey(kind);
            long afterEk = Stopwatch.GetTimestamp();
            byte[] certificate = attestation.ReadEndorsementCertificate(kind) ?? throw new InvalidOperationException($"no {kind} EK certificate");
            long afterCertificate = Stopwatch.GetTimestamp();
            AttestationKey loaded = attestation.LoadOrCreateAttestationKey();
            long afterAk = Stopwatch.GetTimestamp();
            _ = attestation.CertifyMachineKey(machineKey, loaded, RandomNumberGenerator.GetBytes(32));
            long afterCertify = Stopwatch.GetTimestamp();
            byte[] activated = attestation.ActivateCredential(kind, loaded, credentials[i].Blob, credentials[i].Secret);
            long end = Stopwatch.GetTimestamp();

            if (!activated.AsSpan().SequenceEqual(secrets[i]) || certificate.Length == 0)
            {
                throw new InvalidOperationException($"run {i}: the activated credential is not the secret");
            }

            if (i < 2)
            {
                continue;
            }

            ticks["ekPublic"].Add(afterEk - start);
            ticks["ekCertificate"].Add(afterCertificate - afterEk);
            ticks["akLoad"].Add(afterAk - afterCertificate);
            ticks["certify"].Add(afterCertify - afterAk);
            ticks["activate"].Add(end - afterCertify);
            ticks["total"].Add(end - start);
        }

        var result = new JsonObject();
        foreach (string step in steps)
        {
            LatencySummary summary = LatencySummary.FromTicks([ticks[step].ToArray()]);
            result[step + "Ms"] = new JsonObject
            {
                ["p50Ms"] = Math.Round(summary.P50Us / 1000, 2),
                ["meanMs"] = Math.Round(summary.MeanUs / 1000, 2),
                ["minMs"] = Math.Round(summary.MinUs / 1000, 2),
                ["maxMs"] = Math.Round(summary.MaxUs / 1000, 2),
            };
        }

        return result;
    }

    /// <summary>The server's half, by tpm2-tools without a TPM: a marshalled TPM2B_ID_OBJECT and
    /// TPM2B_ENCRYPTED_SECRET after the output file's 8-byte header.</summary>
    private static (byte[] Blob, byte[] Secret) MakeCredential(byte[] ekArea, byte[] akName, byte[] secret, string directory)
    {
        string ekFile = Path.Combine(directory, "ek.pub");
        string secretFile = Path.Combine(directory, "secret.bin");
        string outputFile = Path.Combine(directory, "credential.out");
        byte[] tpm2bPublic = new byte[2 + ekArea.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tpm2bPublic, (ushort)ekArea.Length);
        ekArea.CopyTo(tpm2bPublic, 2);
        File.WriteAllBytes(ekFile, tpm2bPublic);
        File.WriteAllBytes(secretFile, secret);
        File.Delete(outputFile);

        var start = new ProcessStartInfo("tpm2_makecredential") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-T", "none", "-u", ekFile, "-s", secretFile, "-n", Convert.ToHexString(akName), "-o", outputFile })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start tpm2_makecredential");
        _ = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tpm2_makecredential failed: {error}");
        }

        byte[] file = File.ReadAllBytes(outputFile);
        ReadOnlySpan<byte> rest = file.AsSpan(8);
        int blobLength = 2 + BinaryPrimitives.ReadUInt16BigEndian(rest);
        return (rest[..blobLength].ToArray(), rest[blobLength..].ToArray());
    }

    private static string? MissingPrerequisite()
    {
        foreach (string tool in new[] { "swtpm", "swtpm_setup", "swtpm_localca", "tpm2_makecredential" })
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? "";
            if (!path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, tool))))
            {
                return $"{tool} is not on PATH (apt-get install swtpm swtpm-tools tpm2-tools)";
            }
        }

        return NativeKeyLibrary.TryCheckLoadable(out string reason) ? null : reason;
    }
}
