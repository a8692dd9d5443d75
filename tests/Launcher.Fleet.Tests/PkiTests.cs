using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Fleet.Pki;

namespace Launcher.Fleet.Tests;

public sealed class PkiTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lfleet-pki-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public void NewDataDir_GetsAP256Ca_AndAP256TlsCertificateItSigned()
    {
        using FleetPki pki = FleetPki.LoadOrCreate(_dataDirectory, ["127.0.0.1", "fleet.test"]);

        Assert.True(pki.Created);
        using ECDsa caKey = pki.CaCertificate.GetECDsaPublicKey()!;
        Assert.Equal(256, caKey.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", pki.CaCertificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        using ECDsa tlsKey = pki.TlsCertificate.GetECDsaPublicKey()!;
        Assert.Equal(256, tlsKey.KeySize);
        Assert.True(ChainsTo(pki.TlsCertificate, pki.CaCertificate));
    }

    [Fact]
    public void ExistingP384Ca_IsKept_AndSignsTheTlsCertificate()
    {
        // A data dir made before P-256 became the default: its CA is pinned by enrolled machines and must not change.
        string pkiDirectory = Path.Combine(_dataDirectory, "pki");
        Directory.CreateDirectory(pkiDirectory);
        using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            var request = new CertificateRequest("CN=Launcher fleet CA", key, HashAlgorithmName.SHA384);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            File.WriteAllText(Path.Combine(pkiDirectory, "ca.key"), key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(pkiDirectory, "ca.crt"), ca.ExportCertificatePem());
        }

        string caPem = File.ReadAllText(Path.Combine(pkiDirectory, "ca.crt"));
        using (FleetPki first = FleetPki.LoadOrCreate(_dataDirectory, ["127.0.0.1"]))
        {
            Assert.Equal(caPem, first.CaPem);
            using ECDsa caKey = first.CaCertificate.GetECDsaPublicKey()!;
            Assert.Equal(384, caKey.KeySize);
            Assert.True(ChainsTo(first.TlsCertificate, first.CaCertificate));
        }

        using FleetPki again = FleetPki.LoadOrCreate(_dataDirectory, ["127.0.0.1"]);
        Assert.False(again.Created);
        Assert.Equal(caPem, again.CaPem);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
