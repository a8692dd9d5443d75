using System.Buffers.Text;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;

namespace Launcher.Fleet.Link;

/// <summary>
/// The stateless checks of a machine proof, in order, each with its own message: shape, alg, typ, the header's
/// key and kid (RFC 7638), the signature (the contracts' <see cref="ProofReader"/>), aud, iat/exp, jti, key_class,
/// machine_id, cb. The nonce (single use, in the database) and the enrolled key are checked by the caller.
/// </summary>
internal sealed class ProofVerifier
{
    private readonly TimeProvider _time;

    public ProofVerifier(TimeProvider time)
    {
        _time = time;
    }

    public VerifiedProof Verify(string jws, ProofExpectations expect)
    {
        if (jws.Length is 0 or > FleetLimits.MaxProofLength)
        {
            throw Invalid("shape", "The proof is empty or too long.");
        }

        string[] parts = jws.Split('.');
        if (parts.Length != 3)
        {
            throw Invalid("shape", "The proof is not a compact JWS (three base64url parts).");
        }

        ProofHeader? header;
        ProofClaims? claims;
        try
        {
            header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), ProofJsonContext.Default.ProofHeader);
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), ProofJsonContext.Default.ProofClaims);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw Invalid("shape", "The proof's header or claims are not valid base64url JSON with the required members.");
        }

        if (header is null || claims is null)
        {
            throw Invalid("shape", "The proof's header or claims are missing.");
        }

        if (header.Algorithm != ProofFormat.Algorithm)
        {
            throw Invalid("alg", $"The proof's alg must be {ProofFormat.Algorithm}.");
        }

        if (header.Type != ProofFormat.MachineProofType)
        {
            throw Invalid("typ", $"The proof's typ must be {ProofFormat.MachineProofType}.");
        }

        EcPublicKey key = KeyOf(header.Jwk);
        if (header.KeyId != key.Thumbprint)
        {
            throw Invalid("kid", "The proof's kid is not the RFC 7638 thumbprint of its jwk.");
        }

        if (!ProofReader.TryVerify(jws, key, out _, out _))
        {
            throw Invalid("signature", "The proof's signature does not verify with its jwk.");
        }

        string? audience = expect.NormaliseAudience ? FleetAudience.Normalise(claims.Audience) : claims.Audience;
        if (audience is null || !string.Equals(audience, expect.Audience, StringComparison.Ordinal))
        {
            throw Invalid("aud", $"The proof's aud is not {expect.Audience}.");
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (claims.ExpiresAt <= claims.IssuedAt || claims.ExpiresAt - claims.IssuedAt > ProofFormat.MaxLifetimeSeconds)
        {
            throw Invalid("exp", $"The proof's lifetime (exp - iat) must be 1 to {ProofFormat.MaxLifetimeSeconds} s.");
        }

        if (claims.ExpiresAt + FleetLimits.ClockSkewSeconds < now)
        {
            throw Invalid("exp", "The proof has expired.");
        }

        if (claims.IssuedAt - FleetLimits.ClockSkewSeconds > now)
        {
            throw Invalid("iat", "The proof is issued in the future (check the machine's clock).");
        }

        if (string.IsNullOrEmpty(claims.ProofId) || claims.ProofId.Length > 128)
        {
            throw Invalid("jti", "The proof needs a jti of 1 to 128 characters.");
        }

        if (string.IsNullOrEmpty(claims.KeyClass) || claims.KeyClass.Length > 64)
        {
            throw Invalid("key_class", "The proof needs a key_class.");
        }

        if (expect.RequireMachineId == true && string.IsNullOrEmpty(claims.MachineId))
        {
            throw Invalid("machine_id", "fleet/authenticate needs a proof with machine_id.");
        }

        if (expect.RequireMachineId == false && claims.MachineId is not null)
        {
            throw Invalid("machine_id", "fleet/enroll takes a proof without machine_id.");
        }

        if (expect.ChannelBinding is string cb && !string.Equals(claims.TlsCertificateSha256, cb, StringComparison.Ordinal))
        {
            throw new ProofRefusedException(
                FleetErrorCodes.ChannelBindingMismatch,
                "cb",
                claims.TlsCertificateSha256 is null
                    ? "The proof has no cb (channel binding)."
                    : "The proof's cb is not the certificate this server presented: a TLS-terminating proxy is between the machine and the server.");
        }

        return new VerifiedProof(key, header, claims);
    }

    private static EcPublicKey KeyOf(PublicKeyJwk jwk)
    {
        if (jwk.Kty != "EC" || jwk.Crv != "P-256")
        {
            throw Invalid("jwk", "The proof's jwk must be an EC P-256 key.");
        }

        try
        {
            byte[] x = Base64Url.DecodeFromChars(jwk.X);
            byte[] y = Base64Url.DecodeFromChars(jwk.Y);
            if (x.Length != 32 || y.Length != 32)
            {
                throw Invalid("jwk", "The proof's jwk coordinates must be 32 bytes each.");
            }

            byte[] point = new byte[65];
            point[0] = 0x04;
            x.CopyTo(point, 1);
            y.CopyTo(point, 33);
            return EcPublicKey.FromSec1(point);
        }
        catch (FormatException)
        {
            throw Invalid("jwk", "The proof's jwk is not a valid P-256 key.");
        }
    }

    private static ProofRefusedException Invalid(string check, string message) => new(FleetErrorCodes.InvalidProof, check, message);
}
