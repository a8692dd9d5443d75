using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Platform.Keys;

namespace Launcher.Agent.UserKeys;

/// <summary>
/// This user's fallback key, loaded. It signs exactly one thing: a user-key proof that the agent builds itself from
/// the daemon's fields, with the fixed proof type, this key's class and the agent's own uid. There is no way to
/// have it sign other bytes.
/// </summary>
internal sealed class UserKey : IDisposable
{
    private readonly ISigningKey _key;
    private readonly IDisposable? _owner;
    private readonly Lock _signLock = new();

    public UserKey(ISigningKey key, IDisposable? owner = null)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _owner = owner;
        PublicKey = EcPublicKey.FromSec1(key.PublicKeySec1.Span);
        Info = new UserKeyInfo { KeyClass = key.KeyClass, PublicKeySpki = Convert.ToBase64String(PublicKey.Spki) };
    }

    public string KeyClass => _key.KeyClass;

    public EcPublicKey PublicKey { get; }

    /// <summary>What the agent announces at registration.</summary>
    public UserKeyInfo Info { get; }

    /// <summary>Builds and signs the user-key proof for <paramref name="request"/> (already validated by the engine).</summary>
    public string SignProof(UserKeySignParams request, uint uid)
    {
        ArgumentNullException.ThrowIfNull(request);
        var claims = new ProofClaims
        {
            Audience = request.Audience,
            Nonce = request.Nonce,
            IssuedAt = request.IssuedAt,
            ExpiresAt = request.ExpiresAt,
            ProofId = request.ProofId,
            KeyClass = _key.KeyClass,
            Uid = uid,
        };

        // The Secure Enclave shim's context is not documented as reentrant; one signature at a time is plenty.
        lock (_signLock)
        {
            return ProofWriter.Create(ProofFormat.UserProofType, PublicKey, claims, digest => _key.SignDigest(digest));
        }
    }

    public void Dispose() => _owner?.Dispose();
}
