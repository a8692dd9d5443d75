using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Launcher.Attestation.Apple;
using Launcher.Attestation.Verification;
using Xunit;

namespace Launcher.Attestation.Tests;

public sealed class AppleAttestationVerifierTests
{
    [Fact]
    public void AppleRoot_Embedded_HasThePublishedFingerprint()
    {
        X509Certificate2 root = AppleAttestationVerifier.AppleRoot;

        Assert.Equal(AppleAttestationVerifier.AppleRootSha256, Convert.ToHexStringLower(SHA256.HashData(root.RawData)));
        Assert.Contains("Apple Enterprise Attestation Root CA", root.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChainToTheRoot_ReadsSerialUdidAndOs()
    {
        // Arrange: a chain shaped like Apple's (P-384 root, sub CA, leaf with the device OIDs as bare UTF-8).
        using TestChain chain = TestChain.Create("C02XYZ123ABC", "00008103-001A2B3C4D5E6F70", "14.5");

        // Act
        AppleDeviceAttestation attestation = AppleAttestationVerifier.Verify(chain.Der, chain.Root, DateTimeOffset.UtcNow);

        // Assert
        Assert.Equal("C02XYZ123ABC", attestation.Serial);
        Assert.Equal("00008103-001A2B3C4D5E6F70", attestation.Udid);
        Assert.Equal("14.5", attestation.OsVersion);
        Assert.Equal("match", AppleAttestationVerifier.CompareSerial(attestation, "C02XYZ123ABC"));
        Assert.Equal("mismatch", AppleAttestationVerifier.CompareSerial(attestation, "C02OTHER0000"));
    }

    [Fact]
    public void Verify_TestChainAgainstApplesRoot_IsRefused()
    {
        using TestChain chain = TestChain.Create("C02XYZ123ABC", "udid", "14.5");

        var error = Assert.Throws<AttestationException>(() => AppleAttestationVerifier.Verify(chain.Der, DateTimeOffset.UtcNow));

        Assert.Contains("does not chain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UserEnrollmentWithoutSerial_IsNotAttested()
    {
        using TestChain chain = TestChain.Create(null, null, "14.5");

        AppleDeviceAttestation attestation = AppleAttestationVerifier.Verify(chain.Der, chain.Root, DateTimeOffset.UtcNow);

        Assert.Null(attestation.Serial);
        Assert.Equal("not-attested", AppleAttestationVerifier.CompareSerial(attestation, "C02XYZ123ABC"));
    }

    [Fact]
    public void Verify_Garbage_IsAClearRefusal()
    {
        var error = Assert.Throws<AttestationException>(() => AppleAttestationVerifier.Verify([[0x30, 0x03, 0x02, 0x01]], AppleAttestationVerifier.AppleRoot, DateTimeOffset.UtcNow));

        Assert.Contains("not a DER X.509 certificate", error.Message, StringComparison.Ordinal);
    }

    private sealed class TestChain : IDisposable
    {
        private TestChain(X509Certificate2 root, IReadOnlyList<byte[]> der)
        {
            Root = root;
            Der = der;
        }

        public X509Certificate2 Root { get; }

        public IReadOnlyList<byte[]> Der { get; }

        public static TestChain Create(string? serial, string? udid, string os)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var rootRequest = new CertificateRequest("CN=Test Enterprise Attestation Root CA, O=Test", rootKey, HashAlgorithmName.SHA384);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
            X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

            using var subKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var subRequest = new CertificateRequest("CN=Test Enterprise Attestation Sub CA 1", subKey, HashAlgorithmName.SHA384);
            subRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            subRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            subRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(subRequest.PublicKey, false));
            subRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
            using X509Certificate2 sub = subRequest.Create(root, now.AddDays(-1), now.AddMonths(6), [1, 2, 3, 4]).CopyWithPrivateKey(subKey);

            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var leafRequest = new CertificateRequest("CN=device", leafKey, HashAlgorithmName.SHA384);
            if (serial is not null)
            {
                leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.9.1", Encoding.UTF8.GetBytes(serial), false));
            }

            if (udid is not null)
            {
                leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.9.2", Encoding.UTF8.GetBytes(udid), false));
            }

            leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.10.1", Encoding.UTF8.GetBytes(os), false));
            leafRequest.CertificateExtensions.Add(new X509Extension("1.2.840.113635.100.8.11.1", SHA256.HashData("token"u8), false));
            using X509Certificate2 leaf = leafRequest.Create(sub, now.AddDays(-1), now.AddDays(30), [5, 6, 7, 8]);
            return new TestChain(root, [leaf.RawData, sub.RawData]);
        }

        public void Dispose() => Root.Dispose();
    }
}
