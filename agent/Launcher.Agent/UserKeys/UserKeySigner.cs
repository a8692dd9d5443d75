using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Platform.Native;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.UserKeys;

/// <summary>
/// Serves <c>userKey/sign</c>. The engine has already bound and validated the params (lengths, lifetime); this adds
/// a clock check, so a proof cannot be minted now for use long after, and signs with the user key if there is one.
/// </summary>
internal sealed class UserKeySigner
{
    private readonly UserKey? _key;
    private readonly uint _uid;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public UserKeySigner(UserKey? key, uint uid, TimeProvider time, ILogger logger)
    {
        _key = key;
        _uid = uid;
        _time = time;
        _logger = logger;
    }

    public ValueTask<UserKeySignResult> SignAsync(RpcCallContext context, UserKeySignParams request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_key is null)
        {
            Log.UserKeySignRefused(_logger, "no user key");
            throw new RpcException(ErrorCodes.AgentFailed, "no user key");
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(request.IssuedAt - now) > ProofFormat.MaxLifetimeSeconds)
        {
            Log.UserKeySignRefused(_logger, $"issuedAt {request.IssuedAt} is more than {ProofFormat.MaxLifetimeSeconds} s from now ({now})");
            throw new RpcException(ErrorCodes.AgentFailed, $"issuedAt must be within {ProofFormat.MaxLifetimeSeconds} s of the agent's clock.");
        }

        string jws;
        try
        {
            jws = _key.SignProof(request, _uid);
        }
        catch (NativeKeyException ex)
        {
            Log.UserKeySignRefused(_logger, ex.Message);
            throw new RpcException(ErrorCodes.AgentFailed, $"The {_key.KeyClass} user key could not sign ({ex.Status}).");
        }

        Log.UserKeySigned(_logger, request.ProofId, request.Audience);
        return ValueTask.FromResult(new UserKeySignResult { Jws = jws });
    }
}
