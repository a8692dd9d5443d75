using System.Security.Cryptography;
using Launcher.Contracts;
using Launcher.Contracts.Identity;

namespace Launcher.Benchmarks.Identity;

/// <summary>
/// The proof baseline: what launcherd's IdentityService.ProveAsync does with a software key, in this process and
/// without a socket: claims, ProofWriter.Create (JWS encoding, SHA-256), ECDsa P-256 signing.
/// </summary>
internal sealed class RawProofs : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly EcPublicKey _public;

    public RawProofs()
    {
        ECParameters parameters = _key.ExportParameters(false);
        byte[] point = [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
        _public = EcPublicKey.FromSec1(point);
    }

    public string CreateOne()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var claims = new ProofClaims
        {
            Audience = "https://fleet.example/bench",
            Nonce = "bench-nonce-0123456789",
            IssuedAt = now.ToUnixTimeSeconds(),
            ExpiresAt = now.ToUnixTimeSeconds() + ProofFormat.DefaultLifetimeSeconds,
            ProofId = Guid.NewGuid().ToString("N"),
            KeyClass = KeyClasses.Software,
        };
        return ProofWriter.Create(ProofFormat.MachineProofType, _public, claims, digest => _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public void Dispose() => _key.Dispose();
}
