using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Rpc;

namespace Launcher.Daemon.Identity;

/// <summary>
/// The fallback proof: signed by a logged-in user's agent with its user-scoped key, only when the machine key is
/// unusable and the configuration allows it. The agent builds the proof from fixed fields; the daemon checks the
/// result against the key the agent registered before passing it on.
/// </summary>
internal static class UserKeyProof
{
    private static readonly TimeSpan s_agentTimeout = TimeSpan.FromSeconds(10);

    public static async Task<ProveResult> RequestAsync(SessionRegistry sessions, ProofClaims machineClaims, CancellationToken cancellationToken)
    {
        Session? agent = sessions.Agents(null).Where(s => s.UserKey is not null).OrderByDescending(s => s.Id).FirstOrDefault();
        if (agent?.UserKey is not { } userKey)
        {
            throw new RpcException(ErrorCodes.IdentityUnavailable, "The machine identity is not usable and no logged-in user's agent offers a user key.");
        }

        EcPublicKey expected = EcPublicKey.FromSpki(Convert.FromBase64String(userKey.PublicKeySpki));
        var request = new UserKeySignParams
        {
            Audience = machineClaims.Audience,
            Nonce = machineClaims.Nonce,
            ProofId = machineClaims.ProofId,
            IssuedAt = machineClaims.IssuedAt,
            ExpiresAt = machineClaims.ExpiresAt,
        };
        UserKeySignResult result;
        try
        {
            result = await agent.Connection.InvokeAsync(Methods.UserKeySign, request, cancellationToken, s_agentTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or RpcTimeoutException or RpcConnectionLostException)
        {
            throw new RpcException(ErrorCodes.IdentityUnavailable, $"The user agent of uid {agent.Caller.Uid} could not sign: {ex.Message}");
        }

        if (!ProofReader.TryVerify(result.Jws, expected, out ProofHeader? header, out ProofClaims? claims)
            || header!.Type != ProofFormat.UserProofType
            || claims!.Audience != request.Audience || claims.Nonce != request.Nonce || claims.ProofId != request.ProofId
            || claims.IssuedAt != request.IssuedAt || claims.ExpiresAt != request.ExpiresAt
            || claims.KeyClass != userKey.KeyClass || claims.Uid != agent.Caller.Uid)
        {
            throw new RpcException(ErrorCodes.IdentityUnavailable, $"The user agent of uid {agent.Caller.Uid} returned a proof that does not verify.");
        }

        return new ProveResult { Jws = result.Jws, KeyClass = userKey.KeyClass, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt) };
    }
}
