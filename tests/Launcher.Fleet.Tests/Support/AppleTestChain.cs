using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Launcher.Fleet.Tests.Support;

/// <summary>A test root, sub CA and MDA-shaped leaf (Apple's serial, UDID and OS OIDs), for the Apple endpoint.</summary>
internal sealed class AppleTestChain : IDisposable
{
    private AppleTestChain(X509Certificate2 root, string pem)
    {
        Root = root;
        Pem = pem;
    }

    public X509Certificate2 Root { get; }

    /// <summary>Leaf then sub CA, PEM.</summary>
    public string Pem { get; }

    public static AppleTestChain Create(string? serial, string udid, string os)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest("CN=Test Enterprise Attestation Root CA, O=Test", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var subRequest = new CertificateRequest("CN=Test Enterprise Attestation Sub CA 1", subKey, HashAlgorithmName.SHA384);
        subRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        subRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using X509Certificate2 sub = subRequest.Create(root, now.AddDays(-1), now.AddMonths(6), [1, 2, 3, 4]).CopyWithPrivateKey(subKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var leafRequest = new CertificateRequest("CN=device", leafKey, HashAlgorithmName.SHA384);
        if (serial is not null)
        {
            leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.9.1", Encoding.UTF8.GetBytes(serial), false));
        }

        leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.9.2", Encoding.UTF8.GetBytes(udid), false));
        leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.10.1", Encoding.UTF8.GetBytes(os), false));
        using X509Certificate2 leaf = leafRequest.Create(sub, now.AddDays(-1), now.AddDays(30), [5, 6, 7, 8]);
        return new AppleTestChain(root, leaf.ExportCertificatePem() + "\n" + sub.ExportCertificatePem() + "\n");
    }

    public void Dispose() => Root.Dispose();
}
