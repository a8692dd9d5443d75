using System.Security.Cryptography;
using System.Text;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;
using Launcher.Fleet.Pki;
using Launcher.Fleet.Store;

namespace Launcher.Fleet.Services;

/// <summary>
/// <c>POST /api/v1/verify</c>: a relying service hands over a machine proof made for its own audience and nonce;
/// the server checks it against the enrolled key and answers with the machine, its evidence and its grants.
/// </summary>
internal sealed class VerifyService
{
    private readonly FleetContext _context;
    private readonly ProofVerifier _verifier;
    private readonly FleetQueries _queries;

    public VerifyService(FleetContext context, ProofVerifier verifier, FleetQueries queries)
    {
        _context = context;
        _verifier = verifier;
        _queries = queries;
    }

    public async Task<VerifyResult> VerifyAsync(string proof, string audience, string nonce, CancellationToken cancellationToken)
    {
        VerifiedProof verified = _verifier.Verify(proof, new ProofExpectations { Audience = audience, NormaliseAudience = false });
        if (!string.Equals(verified.Claims.Nonce, nonce, StringComparison.Ordinal))
        {
            throw new ProofRefusedException(FleetErrorCodes.NonceRejected, "nonce", "The proof's nonce is not the nonce given.");
        }

        MachineRow? machine = await _context.Machines.GetByThumbprintAsync(verified.Key.Thumbprint, cancellationToken).ConfigureAwait(false);
        if (machine is null || (verified.Claims.MachineId is string claimed && claimed != machine.Id))
        {
            throw new ProofRefusedException(FleetErrorCodes.UnknownMachine, "key", "The proof's key is not the enrolled key of any machine (or not of the machine_id it names).");
        }

        if (machine.IsRevoked)
        {
            throw new ProofRefusedException(FleetErrorCodes.MachineRevoked, "revoked", "The machine is revoked.");
        }

        if (machine.KeyClass != verified.Claims.KeyClass)
        {
            throw new ProofRefusedException(FleetErrorCodes.InvalidProof, "key_class", $"The proof's key_class is not the enrolled key's class ({machine.KeyClass}).");
        }

        // Single use, on every instance: the proof (by key and jti) and the relying service's nonce (by audience).
        long keep = (verified.Claims.ExpiresAt + FleetLimits.ClockSkewSeconds) * 1000;
        string nonceKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(audience + "\n" + nonce)));
        if (!await _context.Nonces.RecordOnceAsync("jti:" + verified.Key.Thumbprint + ":" + verified.Claims.ProofId, "verify", keep, cancellationToken).ConfigureAwait(false)
            || !await _context.Nonces.RecordOnceAsync("vn:" + nonceKey, "verify", keep, cancellationToken).ConfigureAwait(false))
        {
            throw new ProofRefusedException(FleetErrorCodes.NonceRejected, "replay", "This proof or nonce was already verified once (replay).");
        }

        return new VerifyResult(
            machine.Id,
            SpiffeId.ForMachine(_context.Options.TrustDomain, machine.Id),
            machine.KeyClass,
            machine.AttestationLevel,
            machine.Grp,
            FleetQueries.EvidenceOf(machine),
            _queries.GrantsOf(machine),
            DateTimeOffset.FromUnixTimeSeconds(verified.Claims.ExpiresAt));
    }
}
