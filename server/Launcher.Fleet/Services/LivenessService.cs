using System.Security.Cryptography;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Launcher.Fleet.Link;
using Launcher.Fleet.Store;
using Launcher.Rpc;

namespace Launcher.Fleet.Services;

/// <summary>
/// Asks a connected machine, over its link, for its facts and a fresh proof for a nonce the server chose, and checks
/// that proof against the enrolled key: "is this machine, with this key, there now?". Served by the instance that
/// holds the connection.
/// </summary>
internal sealed class LivenessService
{
    private readonly FleetContext _context;
    private readonly SessionRegistry _sessions;
    private readonly ProofVerifier _verifier;

    public LivenessService(FleetContext context, SessionRegistry sessions, ProofVerifier verifier)
    {
        _context = context;
        _sessions = sessions;
        _verifier = verifier;
    }

    public async Task<(LivenessResult? Result, int Status, string? Problem)> CheckAsync(string machineId, string actor, CancellationToken cancellationToken)
    {
        MachineRow? machine = await _context.Machines.GetAsync(machineId, cancellationToken).ConfigureAwait(false);
        if (machine is null)
        {
            return (null, 404, "No machine with this id.");
        }

        if (!_sessions.TryGet(machineId, out LinkSession session))
        {
            long fresh = _context.NowMs - (long)_context.Limits.PresenceStaleAfter.TotalMilliseconds;
            string? instance = await _context.Presence.InstanceOfAsync(machineId, fresh, cancellationToken).ConfigureAwait(false);
            // This instance's own row is a connection that just ended (its row goes right after the session).
            return (null, 409, instance is null || instance == _context.InstanceId
                ? "The machine is not connected."
                : $"The machine is connected to instance {instance}; ask that instance (or retry through the load balancer).");
        }

        string nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        FleetFacts facts;
        FleetProveResult proved;
        try
        {
            facts = await session.Connection.InvokeAsync(FleetMethods.MachineFacts, EmptyParams.Instance, cancellationToken, _context.Limits.DaemonCallTimeout).ConfigureAwait(false);
            proved = await session.Connection.InvokeAsync(FleetMethods.IdentityProve, new ProveParams { Audience = _context.Audience, Nonce = nonce }, cancellationToken, _context.Limits.DaemonCallTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or RpcConnectionLostException or OperationCanceledException)
        {
            return (null, 502, "The machine did not answer: " + ex.Message);
        }

        VerifiedProof proof;
        try
        {
            proof = _verifier.Verify(proved.Proof, new ProofExpectations { Audience = _context.Audience, NormaliseAudience = true });
        }
        catch (ProofRefusedException ex)
        {
            await _context.Audit.AppendAsync(_context.NowMs, actor, "machine.check-failed", machineId, ex.Message, cancellationToken).ConfigureAwait(false);
            return (null, 502, "The machine's proof did not verify: " + ex.Message);
        }

        if (proof.Claims.Nonce != nonce || proof.Key.Thumbprint != machine.Thumbprint)
        {
            string why = proof.Claims.Nonce != nonce ? "the proof is not for the server's nonce" : "the proof is not by the enrolled key";
            await _context.Audit.AppendAsync(_context.NowMs, actor, "machine.check-failed", machineId, why, cancellationToken).ConfigureAwait(false);
            return (null, 502, "The machine's proof did not verify: " + why + ".");
        }

        long now = _context.NowMs;
        string? match = await _context.Machines.UpdateFactsAsync(machineId, facts, now, cancellationToken).ConfigureAwait(false);
        await AppleSerialRecheck.AuditChangeAsync(_context.Audit, now, machineId, machine.AppleSerialMatch, match, machine.AppleSerial, facts.Serial, cancellationToken).ConfigureAwait(false);
        await _context.Audit.AppendAsync(now, actor, "machine.checked", machineId, $"fresh proof by the enrolled key ({proof.Claims.KeyClass})", cancellationToken).ConfigureAwait(false);
        return (new LivenessResult(machineId, true, proof.Claims.KeyClass, DateTimeOffset.FromUnixTimeMilliseconds(now),
            new ReportedFacts(true, facts.Serial, facts.HardwareUuid, facts.Model, facts.OsName, facts.OsVersion, facts.Hostname)), 200, null);
    }
}
