using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// Validates the fleet server's TLS certificate for one connection and keeps the leaf it saw (for <c>cb</c>). With a
/// pinned CA, the chain must end at one of the pinned certificates and nothing else (the system roots are not
/// consulted); without one, the system trust decides. The host name must match in both cases.
/// </summary>
internal sealed class ServerCertificateCheck
{
    private readonly X509Certificate2Collection? _pinned;

    public ServerCertificateCheck(X509Certificate2Collection? pinned)
    {
        _pinned = pinned;
    }

    /// <summary>The DER of the leaf certificate this connection saw (set once validation ran).</summary>
    public byte[]? LeafDer { get; private set; }

    /// <summary>Why the certificate was refused, when it was.</summary>
    public string? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Failure = "the fleet server presented no TLS certificate";
            return false;
        }

        LeafDer = certificate.GetRawCertData();
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            Failure = "the fleet server's TLS certificate is not valid for its host name";
            return false;
        }

        if (_pinned is null)
        {
            if (errors != SslPolicyErrors.None)
            {
                Failure = $"the fleet server's TLS certificate is not trusted by the system ({errors}); enrol with --ca-file to pin the fleet CA";
                return false;
            }

            return true;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(LeafDer);
        using var pinnedChain = new X509Chain();
        pinnedChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinnedChain.ChainPolicy.CustomTrustStore.AddRange(_pinned);
        pinnedChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        pinnedChain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (chain is not null)
        {
            // Intermediates the server sent; trust still ends only at a pinned certificate.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                pinnedChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!pinnedChain.Build(leaf))
        {
            string status = string.Join(", ", pinnedChain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            Failure = $"the fleet server's TLS certificate does not chain to the pinned fleet CA ({status})";
            return false;
        }

        return true;
    }
}
