using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Fleet.Pki;

/// <summary>
/// The fleet CA and the server's TLS certificate, in <c>DATA_DIR/pki</c>: created on first start (keys 0600),
/// loaded afterwards. The CA issues machine certificates (SPIFFE X509-SVIDs, FLEET.md section 3).
/// </summary>
/// <remarks>
/// A new CA is ECDSA P-256 with SHA-256, like the TLS key: every client verifies the CA's signature on the TLS
/// certificate at each connection (and .NET's chain build checks the CA's self-signature too), and OpenSSL's P-256
/// is about ten times faster than its P-384 (docs/benchmarks.md, fleet). A data dir whose CA is already P-384 (made
/// before this default) keeps it: enrolled machines pin that CA.
/// </remarks>
internal sealed class FleetPki : IDisposable
{
    private const string CaKeyFile = "ca.key";
    private const string CaCertFile = "ca.crt";
    private const string TlsKeyFile = "tls.key";
    private const string TlsCertFile = "tls.crt";
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly ECDsa _caKey;

    private FleetPki(string directory, X509Certificate2 ca, ECDsa caKey, X509Certificate2 tls, bool created)
    {
        Directory = directory;
        CaCertificate = ca;
        _caKey = caKey;
        TlsCertificate = tls;
        Created = created;
        CaPem = ca.ExportCertificatePem();
        TlsCertificateHash = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(tls.RawData));
    }

    public string Directory { get; }

    public X509Certificate2 CaCertificate { get; }

    public string CaPem { get; }

    /// <summary>The TLS server certificate with its private key.</summary>
    public X509Certificate2 TlsCertificate { get; }

    /// <summary>base64url SHA-256 of the TLS certificate's DER: the expected <c>cb</c>.</summary>
    public string TlsCertificateHash { get; }

    /// <summary>True when this start created the files.</summary>
    public bool Created { get; }

    public string CaCertificatePath => Path.Combine(Directory, CaCertFile);

    public string CaKeyPath => Path.Combine(Directory, CaKeyFile);

    public string TlsCertificatePath => Path.Combine(Directory, TlsCertFile);

    public string TlsKeyPath => Path.Combine(Directory, TlsKeyFile);

    /// <summary>Loads the PKI from <paramref name="dataDirectory"/>/pki, creating what is missing.</summary>
    /// <param name="dataDirectory">The server's data directory.</param>
    /// <param name="tlsNames">Host names and IP addresses the TLS certificate must name.</param>
    public static FleetPki LoadOrCreate(string dataDirectory, IReadOnlyCollection<string> tlsNames)
    {
        string directory = Path.Combine(dataDirectory, "pki");
        SecureFiles.CreatePrivateDirectory(directory);
        bool created = false;
        string caKeyPath = Path.Combine(directory, CaKeyFile);
        string caCertPath = Path.Combine(directory, CaCertFile);
        if (!File.Exists(caKeyPath) || !File.Exists(caCertPath))
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(new X500DistinguishedName("CN=Launcher fleet CA"), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
            SecureFiles.WriteAtomic(caKeyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
            SecureFiles.WriteAtomic(caCertPath, ca.ExportCertificatePem(), secret: false);
            File.Delete(Path.Combine(directory, TlsCertFile));
            created = true;
        }

        X509Certificate2 caCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(caCertPath));
        var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(caKeyPath));

        string tlsKeyPath = Path.Combine(directory, TlsKeyFile);
        string tlsCertPath = Path.Combine(directory, TlsCertFile);
        if (!File.Exists(tlsKeyPath) || !File.Exists(tlsCertPath) || !CoversNames(tlsCertPath, tlsNames))
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string cn = tlsNames.FirstOrDefault() ?? "localhost";
            var request = new CertificateRequest(new X500DistinguishedName("CN=" + cn), key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in tlsNames)
            {
                if (IPAddress.TryParse(name, out IPAddress? address))
                {
                    san.AddIpAddress(address);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuth], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCertificate, true, false));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 issued = request.Create(caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddYears(1), NewSerial());
            SecureFiles.WriteAtomic(tlsKeyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
            SecureFiles.WriteAtomic(tlsCertPath, issued.ExportCertificatePem(), secret: false);
            created = true;
        }

        X509Certificate2 tls = LoadTls(tlsCertPath, tlsKeyPath);
        return new FleetPki(directory, caCertificate, caKey, tls, created);
    }

    /// <summary>
    /// Issues a machine certificate (SPIFFE X509-SVID) for a public key the server did not generate: empty subject,
    /// exactly one URI SAN (critical), cA=false, digitalSignature (critical), EKU clientAuth + serverAuth, SKI and
    /// AKI, a 16-byte positive serial.
    /// </summary>
    public X509Certificate2 IssueMachineCertificate(byte[] subjectPublicKeyInfo, string spiffeId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using ECDsa subjectKey = ECDsa.Create();
        subjectKey.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), subjectKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        X509Extension sanExtension = san.Build(critical: true);
        request.CertificateExtensions.Add(sanExtension);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_clientAuth, s_serverAuth], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(CaCertificate, true, false));
        DateTimeOffset caEnd = CaCertificate.NotAfter.ToUniversalTime();
        return request.Create(CaCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), notBefore, notAfter < caEnd ? notAfter : caEnd, NewSerial());
    }

    /// <summary>The URI SANs of a certificate (.NET cannot enumerate them: GeneralName [6] read with AsnReader).</summary>
    public static IReadOnlyList<string> ReadUriSans(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }

        return uris;
    }

    public void Dispose()
    {
        _caKey.Dispose();
        CaCertificate.Dispose();
        TlsCertificate.Dispose();
    }

    private static X509Certificate2 LoadTls(string certPath, string keyPath)
    {
        using X509Certificate2 withKey = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        // Kestrel on Linux wants a certificate whose key is not ephemeral; a PKCS#12 round trip gives that.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static bool CoversNames(string certPath, IReadOnlyCollection<string> names)
    {
        using X509Certificate2 existing = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        if (existing.NotAfter.ToUniversalTime() < DateTime.UtcNow.AddDays(7))
        {
            return false;
        }

        return names.All(name => existing.MatchesHostname(name, allowWildcards: false, allowCommonName: false));
    }

    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
