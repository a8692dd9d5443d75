using System.Buffers.Text;
using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Daemon.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Identity;

/// <summary>
/// The fallback proof: signed by a logged-in user's agent with its user-scoped key, only when the machine key is
/// unusable and the configuration allows it. The daemon decides which uid may serve it (the configured uids, else
/// the console user; never whichever agent registered last), asks that uid's agent for exactly the claims it set,
/// and passes the result on only when its header and claims are exactly those it asked for and the signature
/// verifies with the key the agent registered.
/// </summary>
internal sealed class UserKeyProof
{
    private static readonly TimeSpan s_agentTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] s_headerMembers = ["alg", "typ", "jwk", "kid"];
    private static readonly string[] s_jwkMembers = ["kty", "crv", "x", "y"];
    private static readonly string[] s_claimMembers = ["aud", "nonce", "iat", "exp", "jti", "key_class", "uid"];

    private readonly SessionRegistry _sessions;
    private readonly DaemonOptions _options;
    private readonly Func<uint?> _consoleUser;
    private readonly ILogger<UserKeyProof> _logger;

    public UserKeyProof(SessionRegistry sessions, DaemonOptions options, Func<uint?> consoleUser, ILogger<UserKeyProof> logger)
    {
        _sessions = sessions;
        _options = options;
        _consoleUser = consoleUser;
        _logger = logger;
    }

    public async Task<ProveResult> RequestAsync(ProofClaims machineClaims, CancellationToken cancellationToken)
    {
        Session agent = ChooseAgent();
        var userKey = agent.UserKey!;
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

        if (Check(result.Jws, expected, request, userKey.KeyClass, agent.Caller.Uid) is string problem)
        {
            Log.UserKeyProofRefused(_logger, agent.Caller.Uid, problem);
            throw new RpcException(ErrorCodes.IdentityUnavailable, $"The user agent of uid {agent.Caller.Uid} returned a proof the daemon did not ask for ({problem}).");
        }

        Log.UserKeyProofServed(_logger, agent.Caller.Uid, userKey.KeyClass, machineClaims.ProofId);
        return new ProveResult { Jws = result.Jws, KeyClass = userKey.KeyClass, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(request.ExpiresAt) };
    }

    /// <summary>
    /// Null when <paramref name="jws"/> is exactly the user-key proof the daemon asked for: header members alg, typ,
    /// jwk (kty, crv, x, y) and kid only, claims aud, nonce, iat, exp, jti, key_class and uid only (each once), every
    /// value the one requested or registered, and a signature by the registered key. Otherwise what is wrong.
    /// </summary>
    public static string? Check(string jws, EcPublicKey expected, UserKeySignParams request, string keyClass, uint uid)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(request);
        string[] parts = (jws ?? string.Empty).Split('.');
        if (parts.Length != 3 || jws!.Length > 16 * 1024)
        {
            return "not a compact JWS";
        }

        try
        {
            using JsonDocument header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using JsonDocument claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (!HasExactly(header.RootElement, s_headerMembers) || !HasExactly(header.RootElement.GetProperty("jwk"), s_jwkMembers))
            {
                return "the header has members other than alg, typ, jwk and kid";
            }

            if (!HasExactly(claims.RootElement, s_claimMembers))
            {
                return "the claims are not exactly aud, nonce, iat, exp, jti, key_class and uid";
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "the header or claims are not JSON objects";
        }

        if (!ProofReader.TryVerify(jws, expected, out ProofHeader? parsedHeader, out ProofClaims? parsed))
        {
            return "the signature does not verify with the registered key";
        }

        if (parsedHeader!.Type != ProofFormat.UserProofType)
        {
            return "typ is not " + ProofFormat.UserProofType;
        }

        return parsed!.Audience != request.Audience || parsed.Nonce != request.Nonce || parsed.ProofId != request.ProofId
            || parsed.IssuedAt != request.IssuedAt || parsed.ExpiresAt != request.ExpiresAt
            || parsed.KeyClass != keyClass || parsed.Uid != uid
            ? "a claim differs from what was asked"
            : null;
    }

    private Session ChooseAgent()
    {
        IReadOnlyList<uint> allowed = _options.UserKeyUids;
        string who;
        if (allowed.Count == 0)
        {
            if (_consoleUser() is not uint console)
            {
                throw new RpcException(ErrorCodes.IdentityUnavailable, "The machine identity is not usable, and the user-key fallback has no one to ask: nobody is logged in at the console and --user-key-uids is not set.");
            }

            allowed = [console];
            who = $"the console user (uid {console})";
        }
        else
        {
            who = "the uids of --user-key-uids (" + string.Join(", ", allowed) + ")";
        }

        foreach (uint uid in allowed)
        {
            // Several agents of one uid are that user's sessions; the newest is the likeliest to be alive.
            Session? agent = _sessions.Agents(uid).Where(s => s.UserKey is not null).OrderByDescending(s => s.Id).FirstOrDefault();
            if (agent is not null)
            {
                return agent;
            }
        }

        throw new RpcException(ErrorCodes.IdentityUnavailable, $"The machine identity is not usable, and no agent of {who} offers a user key.");
    }

    private static bool HasExactly(JsonElement element, string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        int count = 0;
        Span<bool> seen = stackalloc bool[names.Length];
        foreach (JsonProperty property in element.EnumerateObject())
        {
            int index = Array.IndexOf(names, property.Name);
            if (index < 0 || seen[index])
            {
                return false;
            }

            seen[index] = true;
            count++;
        }

        return count == names.Length;
    }
}
