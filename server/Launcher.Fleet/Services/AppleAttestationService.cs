using Launcher.Attestation.Apple;
using Launcher.Attestation.Verification;
using Launcher.Fleet.Store;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Services;

/// <summary>
/// Records an Apple Managed Device Attestation certificate an admin supplies for a machine: the chain must verify to
/// Apple's Enterprise Attestation Root CA; its serial, UDID and OS version are recorded and the serial compared with
/// the one the daemon reports (and compared again whenever the machine re-enrols or reports new facts, so the match
/// shown is never stale: <see cref="MachineStore.RecomputeSerialMatchAsync"/>). It attests the device, not the daemon's key, so the attestation level never changes.
/// </summary>
internal sealed class AppleAttestationService
{
    private const int MaxChainCharacters = 64 * 1024;

    private readonly FleetContext _context;
    private readonly ILogger _logger;

    public AppleAttestationService(FleetContext context, ILogger<AppleAttestationService> logger)
    {
        _context = context;
        _logger = logger;
    }

    /// <summary>The recorded machine, or the refusal: (null, 404/400, reason).</summary>
    public async Task<(MachineRow? Machine, int Status, string? Problem)> RecordAsync(string id, string? chainPem, string actor, CancellationToken cancellationToken)
    {
        MachineRow? machine = await _context.Machines.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (machine is null)
        {
            return (null, 404, "No machine with this id.");
        }

        if (string.IsNullOrWhiteSpace(chainPem) || chainPem.Length > MaxChainCharacters)
        {
            return (null, 400, $"chain must be a PEM certificate chain of at most {MaxChainCharacters} characters.");
        }

        AppleDeviceAttestation attestation;
        try
        {
            IReadOnlyList<byte[]> chain = AppleAttestationVerifier.ReadPemChain(chainPem);
            System.Security.Cryptography.X509Certificates.X509Certificate2 root = _context.Options.AppleAttestationRootForTests ?? AppleAttestationVerifier.AppleRoot;
            attestation = AppleAttestationVerifier.Verify(chain, root, _context.Time.GetUtcNow());
        }
        catch (AttestationException e)
        {
            Log.AppleAttestationRefused(_logger, id, e.Message);
            await _context.Audit.AppendAsync(_context.NowMs, actor, "apple-attestation.refused", id, e.Message, cancellationToken).ConfigureAwait(false);
            return (null, 400, "The Apple attestation certificate was refused: " + e.Message + ".");
        }

        long now = _context.NowMs;
        string? match = await _context.Machines.SetAppleAttestationAsync(id, attestation.Serial, attestation.Udid, attestation.OsVersion, attestation.LeafSha256, now, cancellationToken).ConfigureAwait(false);
        if (match is null)
        {
            return (null, 404, "No machine with this id.");
        }

        await _context.Audit.AppendAsync(now, actor, "apple-attestation.recorded", id,
            $"serial {attestation.Serial ?? "-"} ({match} with the reported {machine.Serial ?? "-"}); UDID {attestation.Udid ?? "-"}; OS {attestation.OsVersion ?? "-"}; leaf {attestation.LeafSha256}", cancellationToken).ConfigureAwait(false);
        Log.AppleAttestationRecorded(_logger, id, match);
        return (await _context.Machines.GetAsync(id, cancellationToken).ConfigureAwait(false), 200, null);
    }
}
