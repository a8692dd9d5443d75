using System.Data.Common;
using System.Security.Cryptography;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;
using Launcher.Fleet.Store;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Services;

/// <summary>
/// Enrolment, authentication and renewal of machines (docs/fleet-protocol.md). Each refusal is a
/// <see cref="ProofRefusedException"/> with a fleet error code; refusals of known machines go to the audit log.
/// </summary>
internal sealed class EnrolmentService
{
    private readonly FleetContext _context;
    private readonly ProofVerifier _verifier;
    private readonly CertificateService _certificates;
    private readonly ILogger _logger;

    public EnrolmentService(FleetContext context, ProofVerifier verifier, CertificateService certificates, ILogger<EnrolmentService> logger)
    {
        _context = context;
        _verifier = verifier;
        _certificates = certificates;
        _logger = logger;
    }

    /// <summary>Issues a nonce on a connection (held by the connection: only it can consume the nonce).</summary>
    public ChallengeResult Challenge(ChallengeNonces nonces)
    {
        DateTimeOffset expires = _context.Time.GetUtcNow().AddSeconds(FleetLimits.NonceLifetimeSeconds);
        string nonce = nonces.Issue(expires.ToUnixTimeMilliseconds());
        return new ChallengeResult { Nonce = nonce, Audience = _context.Audience, ExpiresAt = expires.ToUnixTimeSeconds() };
    }

    public async Task<EnrollResult> EnrollAsync(string connectionId, string channelBinding, ChallengeNonces nonces, EnrollParams request, CancellationToken cancellationToken)
    {
        VerifiedProof proof = VerifyLinkProof(channelBinding, nonces, request.Proof, requireMachineId: false);
        string keyClass = proof.Claims.KeyClass;
        if (_context.Policy.RefuseEnrolment(keyClass) is string refusal)
        {
            throw new ProofRefusedException(FleetErrorCodes.PolicyRefused, "policy", refusal);
        }

        FleetFacts facts = request.Facts ?? new FleetFacts();
        long now = _context.NowMs;
        string publicKey = Convert.ToBase64String(proof.Key.Spki);
        await using DbConnection connection = await _context.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        (string Id, string? Group)? token = await TokenStore.ConsumeEnrolmentTokenAsync(connection, transaction, request.Token, now).ConfigureAwait(false);
        if (token is null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            Log.EnrolmentRefused(_logger, connectionId, "token");
            throw new ProofRefusedException(FleetErrorCodes.InvalidToken, "token", "The enrolment token is unknown, expired, used up or revoked.");
        }

        MachineRow? known = await MachineStore.FindKnownAsync(connection, transaction, proof.Key.Thumbprint, facts.Serial, facts.HardwareUuid).ConfigureAwait(false);
        if (known is { IsRevoked: true })
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            await _context.Audit.AppendAsync(now, "machine", "enrol.refused", known.Id, "re-enrolment of a revoked machine", cancellationToken).ConfigureAwait(false);
            throw new ProofRefusedException(FleetErrorCodes.MachineRevoked, "revoked", "This machine is revoked; an admin must remove it before it can enrol again.");
        }

        string id = known?.Id ?? "m_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        IssuedCertificate certificate = _certificates.Issue(id, publicKey);
        var row = new MachineRow
        {
            Id = id,
            Thumbprint = proof.Key.Thumbprint,
            PublicKey = publicKey,
            KeyClass = keyClass,
            AttestationLevel = Policy.PolicyEngine.ReportedLevel(keyClass),
            Serial = facts.Serial,
            HardwareUuid = facts.HardwareUuid,
            Model = facts.Model,
            OsName = facts.OsName,
            OsVersion = facts.OsVersion,
            Hostname = facts.Hostname,
            Grp = token.Value.Group ?? known?.Grp,
            EnrolledAt = known?.EnrolledAt ?? now,
            LastSeen = now,
            Certificate = certificate.Pem,
            CertSerial = certificate.Serial,
            CertNotAfter = certificate.NotAfter.ToUnixTimeMilliseconds(),
        };

        if (known is null)
        {
            await MachineStore.InsertAsync(connection, transaction, row).ConfigureAwait(false);
            await AuditStore.AppendAsync(connection, transaction, now, "token:" + token.Value.Id, "machine.enrolled", id,
                $"key {row.Thumbprint} ({keyClass}); serial {facts.Serial ?? "-"} (reported); group {row.Grp ?? "-"}").ConfigureAwait(false);
        }
        else
        {
            await MachineStore.ReplaceKeyAsync(connection, transaction, row).ConfigureAwait(false);
            string how = known.Thumbprint == row.Thumbprint ? "same key" : $"key {known.Thumbprint} replaced by {row.Thumbprint}";
            await AuditStore.AppendAsync(connection, transaction, now, "token:" + token.Value.Id, "machine.reenrolled", id,
                $"{how} ({keyClass}); matched by {MatchedBy(known, row)}").ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.Enrolled(_logger, id, keyClass, known is not null);
        return _certificates.Result(row, Grants(row));
    }

    public async Task<(EnrollResult Result, MachineRow Machine)> AuthenticateAsync(string channelBinding, ChallengeNonces nonces, AuthenticateParams request, CancellationToken cancellationToken)
    {
        VerifiedProof proof = VerifyLinkProof(channelBinding, nonces, request.Proof, requireMachineId: true);
        MachineRow? machine = await _context.Machines.GetAsync(proof.Claims.MachineId!, cancellationToken).ConfigureAwait(false);
        if (machine is null)
        {
            throw new ProofRefusedException(FleetErrorCodes.UnknownMachine, "machine_id", "No machine with this machine_id is enrolled.");
        }

        if (machine.Thumbprint != proof.Key.Thumbprint)
        {
            await _context.Audit.AppendAsync(_context.NowMs, "machine", "auth.refused", machine.Id, $"proof by key {proof.Key.Thumbprint}, not the enrolled key", cancellationToken).ConfigureAwait(false);
            throw new ProofRefusedException(FleetErrorCodes.UnknownMachine, "key", "The proof's key is not the key enrolled for this machine.");
        }

        if (machine.IsRevoked)
        {
            await _context.Audit.AppendAsync(_context.NowMs, "machine", "auth.refused", machine.Id, "revoked", cancellationToken).ConfigureAwait(false);
            throw new ProofRefusedException(FleetErrorCodes.MachineRevoked, "revoked", "This machine is revoked.");
        }

        if (machine.KeyClass != proof.Claims.KeyClass)
        {
            throw new ProofRefusedException(FleetErrorCodes.InvalidProof, "key_class", $"The proof's key_class is not the enrolled key's class ({machine.KeyClass}).");
        }

        long now = _context.NowMs;
        await _context.Machines.TouchAsync(machine.Id, now, cancellationToken).ConfigureAwait(false);
        machine.LastSeen = now;
        if (_certificates.NeedsRenewal(machine))
        {
            await RenewAsync(machine, cancellationToken).ConfigureAwait(false);
        }

        return (_certificates.Result(machine, Grants(machine)), machine);
    }

    /// <summary>Issues a fresh certificate for the enrolled key and records it.</summary>
    public async Task<RenewResult> RenewAsync(MachineRow machine, CancellationToken cancellationToken)
    {
        IssuedCertificate certificate = _certificates.Issue(machine.Id, machine.PublicKey);
        await _context.Machines.SetCertificateAsync(machine.Id, certificate.Pem, certificate.Serial, certificate.NotAfter.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        machine.Certificate = certificate.Pem;
        machine.CertSerial = certificate.Serial;
        machine.CertNotAfter = certificate.NotAfter.ToUnixTimeMilliseconds();
        return new RenewResult { Certificate = certificate.Pem, NotAfter = certificate.NotAfter.ToUnixTimeSeconds(), RenewAfter = certificate.RenewAfter.ToUnixTimeSeconds() };
    }

    private IReadOnlyList<string> Grants(MachineRow row) =>
        _context.Policy.Evaluate(row.KeyClass, row.AttestationLevel, row.Grp, row.IsRevoked).Select(g => g.Grant).ToList();

    private VerifiedProof VerifyLinkProof(string channelBinding, ChallengeNonces nonces, string jws, bool requireMachineId)
    {
        VerifiedProof proof = _verifier.Verify(jws, new ProofExpectations
        {
            Audience = _context.Audience,
            NormaliseAudience = true,
            ChannelBinding = channelBinding,
            RequireMachineId = requireMachineId,
        });

        // Last, and atomically: a nonce is consumed once, and only on the connection that it was issued on.
        if (!nonces.TryConsume(proof.Claims.Nonce, _context.NowMs))
        {
            throw new ProofRefusedException(FleetErrorCodes.NonceRejected, "nonce", "The proof's nonce was not issued on this connection, has expired, or was already used.");
        }

        return proof;
    }

    private static string MatchedBy(MachineRow known, MachineRow now)
    {
        if (known.Thumbprint == now.Thumbprint)
        {
            return "key";
        }

        return !string.IsNullOrEmpty(now.Serial) && known.Serial == now.Serial ? "serial (reported)" : "hardware UUID (reported)";
    }
}
