using Launcher.Testing;
using Xunit;

namespace Launcher.Attestation.Tests;

/// <summary>
/// One real swtpm provisioned by scripts/swtpm.sh with SWTPM_EK=1: an RSA-2048 EK at 0x81010001 and a P-384 EK at
/// 0x81010016, each with a certificate from the test CA in its state directory (localca/). tpm2-tools drive it;
/// swtpm has no resource manager, so every tool call is followed by a flush of transient objects.
/// </summary>
public sealed class SwtpmWithEk : IAsyncLifetime
{
    public const string RsaEk = "0x81010001";
    public const string P384Ek = "0x81010016";

    private readonly string _directory = Directory.CreateTempSubdirectory("launcher-attest-").FullName;
    private SwtpmInstance? _tpm;

    public string Tcti => _tpm?.Tcti ?? string.Empty;

    public string StateDirectory => Path.Combine(_directory, "tpm");

    public string LocalCa => Path.Combine(StateDirectory, "localca");

    public string Work => _directory;

    public static string? SkipReason => ToolRequirement.SkipReason("swtpm", "swtpm_setup", "tpm2_createak");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _tpm = await Task.Run(() => SwtpmInstance.StartEndorsed(StateDirectory));
        _tpm.ToolDirectory = _directory;
        await ToolAsync("tpm2_readpublic", "-c", RsaEk, "-o", "ek-rsa.pub");
        await ToolAsync("tpm2_readpublic", "-c", P384Ek, "-o", "ek-p384.pub");
        await ToolAsync("tpm2_nvread", "0x01c00002", "-o", "ek-rsa.crt");
        await ToolAsync("tpm2_nvread", "0x01c00016", "-o", "ek-p384.crt");
        await ToolAsync("tpm2_createak", "-C", RsaEk, "-c", "ak.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa", "-u", "ak.pub", "-n", "ak.name", "-f", "tss");
        await ToolAsync("tpm2_createak", "-C", P384Ek, "-c", "ak384.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa", "-u", "ak384.pub", "-n", "ak384.name", "-f", "tss");

        // A key like the machine key (docs/identity.md): P-256, fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA|sign.
        await ToolAsync("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc256:null:aes128cfb", "-c", "srk.ctx");
        await ToolAsync("tpm2_create", "-C", "srk.ctx", "-G", "ecc256:null", "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|sign", "-u", "key.pub", "-r", "key.priv");
        await ToolAsync("tpm2_load", "-C", "srk.ctx", "-u", "key.pub", "-r", "key.priv", "-c", "key.ctx");

        // tpm2-tools 5.4 certifies with its fixed qualifying data 0x00ff55aa (it has no option for a nonce).
        await ToolAsync("tpm2_certify", "-c", "key.ctx", "-C", "ak.ctx", "-g", "sha256", "-o", "attest.out", "-s", "sig.out", "-f", "tss");
    }

    /// <summary>The qualifying data tpm2_certify 5.4 puts in every certify.</summary>
    public static byte[] ToolsCertifyNonce { get; } = [0x00, 0xff, 0x55, 0xaa];

    public byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public Task DisposeAsync()
    {
        _tpm?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs a tpm2-tools program against this TPM, then flushes every transient object it left (swtpm has
    /// no resource manager).</summary>
    public Task<string> ToolAsync(string tool, params string[] arguments)
    {
        SwtpmInstance tpm = _tpm ?? throw new InvalidOperationException("The swtpm did not start.");
        return Task.Run(() =>
        {
            string output = tpm.Tool(tool, arguments);
            tpm.Tool("tpm2_flushcontext", "-t");
            return output;
        });
    }

    public string PathOf(string name) => Path.Combine(_directory, name);
}
