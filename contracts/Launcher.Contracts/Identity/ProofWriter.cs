using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Launcher.Contracts.Identity;

/// <summary>
/// Builds a Launcher proof: a compact JWS, ES256, whose header carries the signer's JWK and thumbprint. The signer
/// receives only the SHA-256 digest of the JWS signing input and returns the 64-byte r || s signature.
/// </summary>
public static class ProofWriter
{
    // '+' in "launcher-machine-proof+jwt" stays readable instead of \u002B; both decode the same.
    private static readonly JsonSerializerOptions s_options = new(ProofJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Builds and signs a proof.</summary>
    /// <param name="type">The JWS <c>typ</c>.</param>
    /// <param name="key">The signer's public key.</param>
    /// <param name="claims">The claims.</param>
    /// <param name="signDigest">Signs a SHA-256 digest; returns IEEE P1363 (64 bytes).</param>
    public static string Create(string type, EcPublicKey key, ProofClaims claims, Func<byte[], byte[]> signDigest)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(signDigest);
        if (claims.ExpiresAt <= claims.IssuedAt || claims.ExpiresAt - claims.IssuedAt > ProofFormat.MaxLifetimeSeconds)
        {
            throw new ArgumentException("A proof lives between 1 second and ProofFormat.MaxLifetimeSeconds.", nameof(claims));
        }

        var header = new ProofHeader { Algorithm = ProofFormat.Algorithm, Type = type, Jwk = key.Jwk, KeyId = key.Thumbprint };
        string signingInput = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProofHeader>)s_options.GetTypeInfo(typeof(ProofHeader))))
            + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProofClaims>)s_options.GetTypeInfo(typeof(ProofClaims))));
        byte[] signature = signDigest(SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)));
        if (signature.Length != 64)
        {
            throw new CryptographicException("An ES256 signature is 64 bytes (r || s).");
        }

        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
