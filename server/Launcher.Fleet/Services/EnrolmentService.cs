using System.Data.Common;
using System.Buffers.Text;
using System.Security.Cryptography;
using Launcher.Attestation.Verification;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;
using Launcher.Fleet.Store;
using AttestationLevels = Launcher.Contracts.Fleet.AttestationLevels;
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

    /// <summary>
    /// <c>fleet/enroll</c>. Without TPM evidence the machine is enrolled at once (a <c>tpm</c> key class without
    /// evidence is refused). With evidence that verifies, the result carries the activation challenge and the
    /// pending enrolment is returned for the connection to hold; nothing is written until it is answered.
    /// </summary>
    public async Task<(EnrollResult Result, PendingEnrolment? Pending)> EnrollAsync(string connectionId, string channelBinding, ChallengeNonces nonces, EnrollParams request, CancellationToken cancellationToken)
    {
        VerifiedProof proof = VerifyLinkProof(channelBinding, nonces, request.Proof, requireMachineId: false);
        string keyClass = proof.Claims.KeyClass;
        if (_context.Policy.RefuseEnrolment(keyClass) is string refusal)
        {
            throw new ProofRefusedException(FleetErrorCodes.PolicyRefused, "policy", refusal);
        }

        long now = _context.NowMs;
        EnrolmentTokenUse? token = await _context.Tokens.PeekEnrolmentTokenAsync(request.Token, now, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            Log.EnrolmentRefused(_logger, connectionId, "token");
            throw new ProofRefusedException(FleetErrorCodes.InvalidToken, "token", "The enrolment token is unknown, expired, used up or revoked.");
        }

        string actor = "token:" + token.Id;
        if (request.Attestation is null)
        {
            if (keyClass == KeyClasses.Tpm)
            {
                await RefuseAsync(connectionId, actor, proof, FleetErrorCodes.AttestationFailed, "key_class tpm without TPM evidence: a TPM key must be attested (software keys enrol as software)", cancellationToken).ConfigureAwait(false);
            }

            string level = Policy.PolicyEngine.ReportedLevel(keyClass);
            await RefuseLevelAsync(connectionId, actor, proof, level, token, cancellationToken).ConfigureAwait(false);
            string detail = keyClass == KeyClasses.SecureEnclave
                ? "Secure Enclave key as the daemon reported it (a Mac cannot attest the daemon's key)"
                : $"key class {keyClass} as the daemon reported it";
            EnrollResult result = await CommitAsync(connectionId, request, proof, level, null, detail, cancellationToken).ConfigureAwait(false);
            return (result, null);
        }

        if (keyClass != KeyClasses.Tpm)
        {
            await RefuseAsync(connectionId, actor, proof, FleetErrorCodes.AttestationFailed, $"TPM evidence sent for a key of class {keyClass}", cancellationToken).ConfigureAwait(false);
        }

        VerifiedEvidence verified;
        try
        {
            TpmEvidence evidence = DecodeEvidence(request.Attestation);
            byte[] nonce = Base64Url.DecodeFromChars(proof.Claims.Nonce);
            verified = TpmEvidenceVerifier.Verify(evidence, nonce, proof.Key.X, proof.Key.Y, _context.Options.TpmTrust, _context.Time.GetUtcNow());
        }
        catch (AttestationException e)
        {
            await RefuseAsync(connectionId, actor, proof, FleetErrorCodes.AttestationFailed, e.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }
        catch (CryptographicException)
        {
            // A public area whose point is not on its curve, or a key the platform refuses to import.
            await RefuseAsync(connectionId, actor, proof, FleetErrorCodes.AttestationFailed, "a public area of the evidence holds an invalid key", cancellationToken).ConfigureAwait(false);
            throw;
        }

        EkVerdict verdict = verified.EkVerdict;
        await RefuseLevelAsync(connectionId, actor, proof, verdict.Level, token, cancellationToken).ConfigureAwait(false);
        string why = verdict.Level switch
        {
            AttestationLevels.TpmEkVerified => $"EK certificate chains to a trusted root; maker {verdict.Maker ?? "-"}, model {verdict.Model ?? "-"}; EK {verdict.EkFingerprint}",
            AttestationLevels.TpmEkAllowlisted => $"EK {verdict.EkFingerprint} is on the allow-list",
            _ => $"EK not verified: {verdict.Reason}; EK {verdict.EkFingerprint}",
        };
        var challenge = CredentialChallenge.Create(verified);
        var pending = new PendingEnrolment(request, proof, token.Id, verdict.Level, verdict.Level == AttestationLevels.TpmEkVerified ? verdict.Maker : null, why, challenge,
            now + (FleetLimits.NonceLifetimeSeconds * 1000L));
        Log.ActivationPending(_logger, connectionId, proof.Key.Thumbprint, verdict.Level, verdict.Maker ?? "-");
        var answer = new EnrollResult
        {
            MachineId = string.Empty,
            SpiffeId = string.Empty,
            Certificate = string.Empty,
            CaCertificate = string.Empty,
            NotAfter = 0,
            RenewAfter = 0,
            AttestationLevel = verdict.Level,
            TpmMaker = pending.TpmMaker,
            Grants = [],
            Activation = new ActivationChallenge
            {
                CredentialBlob = Convert.ToBase64String(challenge.Credential.CredentialBlob),
                EncryptedSecret = Convert.ToBase64String(challenge.Credential.EncryptedSecret),
            },
        };
        return (answer, pending);
    }

    /// <summary><c>fleet/activate</c>: the pending enrolment's one answer. A wrong or late answer ends it.</summary>
    public async Task<EnrollResult> ActivateAsync(string connectionId, PendingEnrolment pending, ActivateParams request, CancellationToken cancellationToken)
    {
        string actor = "token:" + pending.TokenId;
        if (_context.NowMs > pending.ExpiresAtMs)
        {
            await RefuseAsync(connectionId, actor, pending.Proof, FleetErrorCodes.AttestationFailed, "the credential-activation answer came too late", cancellationToken).ConfigureAwait(false);
        }

        byte[] answer;
        try
        {
            answer = Convert.FromBase64String(request.Credential);
        }
        catch (FormatException)
        {
            answer = [];
        }

        if (!pending.Challenge.Matches(answer))
        {
            await RefuseAsync(connectionId, actor, pending.Proof, FleetErrorCodes.AttestationFailed, "credential activation: the answer is not the credential (the AK is not in the TPM holding this EK)", cancellationToken).ConfigureAwait(false);
        }

        return await CommitAsync(connectionId, pending.Request, pending.Proof, pending.Level, pending.TpmMaker, pending.Detail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The strictest of the token's, the group's and the global minimum attestation level applies. A refusal is
    /// audited with the requirement(s) that refused, before any token use is taken or any machine row written.
    /// </summary>
    private async Task RefuseLevelAsync(string connectionId, string actor, VerifiedProof proof, string level, EnrolmentTokenUse token, CancellationToken cancellationToken)
    {
        if (_context.Policy.RefuseAttestationLevel(level, token.Group, token.Id, token.MinLevel) is Policy.LevelRefusal refusal)
        {
            await RefuseAsync(connectionId, actor, proof, FleetErrorCodes.PolicyRefused, refusal.Message, cancellationToken, "min-level:" + refusal.Source).ConfigureAwait(false);
        }
    }

    /// <summary>Records the refusal in the audit log and throws it; nothing else is written.</summary>
    private async Task RefuseAsync(string connectionId, string actor, VerifiedProof proof, int code, string reason, CancellationToken cancellationToken, string? check = null)
    {
        Log.EnrolmentAttestationRefused(_logger, connectionId, proof.Key.Thumbprint, reason);
        await _context.Audit.AppendAsync(_context.NowMs, actor, "enrol.refused", "key:" + proof.Key.Thumbprint, reason, cancellationToken).ConfigureAwait(false);
        string message = code == FleetErrorCodes.AttestationFailed ? "Attestation failed: " + reason + "." : reason;
        throw new ProofRefusedException(code, check ?? (code == FleetErrorCodes.AttestationFailed ? "attestation" : "policy"), message);
    }

    private static TpmEvidence DecodeEvidence(TpmEvidenceParams evidence)
    {
        return new TpmEvidence
        {
            EkPublic = Decode(evidence.EkPublic, "ekPublic"),
            EkCertificate = evidence.EkCertificate is null ? null : Decode(evidence.EkCertificate, "ekCertificate"),
            EkIntermediates = evidence.EkChain?.Select((c, i) => Decode(c, $"ekChain[{i}]")).ToList() ?? [],
            AkPublic = Decode(evidence.AkPublic, "akPublic"),
            KeyPublic = Decode(evidence.KeyPublic, "keyPublic"),
            CertifyInfo = Decode(evidence.CertifyInfo, "certifyInfo"),
            CertifySignature = Decode(evidence.CertifySignature, "certifySignature"),
        };

        static byte[] Decode(string value, string field)
        {
            try
            {
                return Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                throw new AttestationException($"attestation.{field} is not base64");
            }
        }
    }

    private async Task<EnrollResult> CommitAsync(string connectionId, EnrollParams request, VerifiedProof proof, string level, string? tpmMaker, string detail, CancellationToken cancellationToken)
    {
        string keyClass = proof.Claims.KeyClass;
        FleetFacts facts = request.Facts ?? new FleetFacts();
        long now = _context.NowMs;
        string publicKey = Convert.ToBase64String(proof.Key.Spki);
        await using DbConnection connection = await _context.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        EnrolmentTokenUse? token = await TokenStore.ConsumeEnrolmentTokenAsync(connection, transaction, request.Token, now).ConfigureAwait(false);
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

        // A re-enrolment with a token without a group keeps the machine's group, whose minimum then applies too.
        if (token.Group is null && known?.Grp is not null && _context.Policy.RefuseAttestationLevel(level, known.Grp, token.Id, token.MinLevel) is not null)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            await RefuseLevelAsync(connectionId, "token:" + token.Id, proof, level, token with { Group = known.Grp }, cancellationToken).ConfigureAwait(false);
        }

        string id = known?.Id ?? "m_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        IssuedCertificate certificate = _certificates.Issue(id, publicKey);
        var row = new MachineRow
        {
            Id = id,
            Thumbprint = proof.Key.Thumbprint,
            PublicKey = publicKey,
            KeyClass = keyClass,
            AttestationLevel = level,
            TpmMaker = tpmMaker,
            AttestationDetail = detail,
            Serial = facts.Serial,
            HardwareUuid = facts.HardwareUuid,
            Model = facts.Model,
            OsName = facts.OsName,
            OsVersion = facts.OsVersion,
            Hostname = facts.Hostname,
            Grp = token.Group ?? known?.Grp,
            EnrolledAt = known?.EnrolledAt ?? now,
            LastSeen = now,
            Certificate = certificate.Pem,
            CertSerial = certificate.Serial,
            CertNotAfter = certificate.NotAfter.ToUnixTimeMilliseconds(),
        };

        if (known is null)
        {
            await MachineStore.InsertAsync(connection, transaction, row).ConfigureAwait(false);
            await AuditStore.AppendAsync(connection, transaction, now, "token:" + token.Id, "machine.enrolled", id,
                $"key {row.Thumbprint} ({keyClass}); attestation {level} ({detail}); serial {facts.Serial ?? "-"} (reported); group {row.Grp ?? "-"}").ConfigureAwait(false);
        }
        else
        {
            await MachineStore.ReplaceKeyAsync(connection, transaction, row).ConfigureAwait(false);
            string? match = await MachineStore.RecomputeSerialMatchAsync(connection, transaction, id).ConfigureAwait(false);
            if (AppleSerialRecheck.Describe(known.AppleSerialMatch, match, known.AppleSerial, facts.Serial) is string change)
            {
                await AuditStore.AppendAsync(connection, transaction, now, "machine", AppleSerialRecheck.Action, id, change).ConfigureAwait(false);
            }

            string how = known.Thumbprint == row.Thumbprint ? "same key" : $"key {known.Thumbprint} replaced by {row.Thumbprint}";
            await AuditStore.AppendAsync(connection, transaction, now, "token:" + token.Id, "machine.reenrolled", id,
                $"{how} ({keyClass}); attestation {level} ({detail}); matched by {MatchedBy(known, row)}").ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Log.Enrolled(_logger, id, keyClass, known is not null);
        Log.AttestationRecorded(_logger, id, level, detail);
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
