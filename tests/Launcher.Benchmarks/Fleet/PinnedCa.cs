using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Benchmarks.Fleet;

/// <summary>
/// The load generator's trust in the fleet server: TLS validates the server's chain against the fleet CA alone
/// (<see cref="SslClientAuthenticationOptions.CertificateChainPolicy"/> with a custom root, the system roots not
/// consulted) and the host name, in the one chain build SslStream makes per handshake. Validating in the
/// certificate callback instead cost a second chain build per connection (SslStream's own against the system store,
/// then ours): about 0.5 ms of the harness's CPU per connection on the 2 cores the server shares (docs/benchmarks.md).
/// </summary>
internal sealed class PinnedCa
{
    private readonly X509ChainPolicy _policy;

    public PinnedCa(X509Certificate2 ca)
    {
        _policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        _policy.CustomTrustStore.Add(ca);
    }

    /// <summary>TLS options for <paramref name="host"/>; <paramref name="seen"/> gets the base64url SHA-256 of the certificate this connection saw (the proof's <c>cb</c>).</summary>
    public SslClientAuthenticationOptions Options(string host, Action<string>? seen = null) => new()
    {
        TargetHost = host,
        CertificateChainPolicy = _policy.Clone(),
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || errors != SslPolicyErrors.None)
            {
                return false;
            }

            seen?.Invoke(System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(certificate.GetRawCertData())));
            return true;
        },
    };
}
