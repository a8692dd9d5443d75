using System.Security.Cryptography;
using Launcher.Contracts;
using Launcher.Contracts.Identity;
using Launcher.Rpc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Launcher.Daemon.Tests.Identity;

/// <summary>Proofs from identity/prove checked by an independent JOSE library (Microsoft.IdentityModel).</summary>
public sealed class ProofVerificationTests
{
    [Fact(Timeout = 20000)]
    public async Task Prove_VerifiesWithIdentityModel_AgainstThePublishedKey()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);

        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "https://fleet.example", Nonce = "n-0123456789" });

        var key = new JsonWebKey { Kty = "EC", Crv = "P-256", X = identity.PublicKeyJwk!.X, Y = identity.PublicKeyJwk.Y };
        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(proof.Jws, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAudience = "https://fleet.example",
            ValidateIssuer = false,
            ValidTypes = [ProofFormat.MachineProofType],
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("n-0123456789", token.GetClaim("nonce").Value);
        Assert.Equal(KeyClasses.Software, token.GetClaim("key_class").Value);
        Assert.Equal(identity.Thumbprint, token.Kid);
        Assert.Equal("ES256", token.Alg);
        Assert.True(token.ValidTo - token.ValidFrom <= TimeSpan.FromSeconds(ProofFormat.MaxLifetimeSeconds) || token.ValidFrom == DateTime.MinValue);
        Assert.Equal(identity.Thumbprint, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()));
    }

    [Fact(Timeout = 20000)]
    public async Task Prove_TwiceWithTheSameNonce_GivesDistinctProofIds()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        ProveResult a = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "same-nonce-1" });
        ProveResult b = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "same-nonce-1" });

        Assert.NotEqual(new JsonWebToken(a.Jws).Id, new JsonWebToken(b.Jws).Id);
    }

    [Fact(Timeout = 20000)]
    public async Task Prove_WithTamperedClaims_FailsVerification()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        IdentityResult identity = await admin.InvokeAsync(Methods.IdentityGet, EmptyParams.Instance);
        ProveResult proof = await admin.InvokeAsync(Methods.IdentityProve, new ProveParams { Audience = "aud", Nonce = "nonce-abcdefgh" });
        string[] parts = proof.Jws.Split('.');
        string forgedClaims = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("aud", "aux", StringComparison.Ordinal)));

        bool valid = ProofReader.TryVerify(parts[0] + "." + forgedClaims + "." + parts[2], EcPublicKey.FromSpki(Convert.FromBase64String(identity.PublicKeySpki!)), out _, out _);

        Assert.False(valid);
        Assert.True(ProofReader.TryVerify(proof.Jws, EcPublicKey.FromSpki(Convert.FromBase64String(identity.PublicKeySpki!)), out _, out _));
    }

    [Fact]
    public void Thumbprint_MatchesRfc7638Construction()
    {
        // A fixed P-256 key: the thumbprint is SHA-256 over {"crv","kty","x","y"} in that order, no spaces.
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = key.ExportParameters(false);
        byte[] point = [0x04, .. p.Q.X!, .. p.Q.Y!];

        EcPublicKey ours = EcPublicKey.FromSec1(point);
        var theirs = new JsonWebKey { Kty = "EC", Crv = "P-256", X = Base64UrlEncoder.Encode(p.Q.X), Y = Base64UrlEncoder.Encode(p.Q.Y) };

        Assert.Equal(Base64UrlEncoder.Encode(theirs.ComputeJwkThumbprint()), ours.Thumbprint);
    }
}
