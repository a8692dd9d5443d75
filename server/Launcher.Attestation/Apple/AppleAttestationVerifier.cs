using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Launcher.Attestation.Verification;

namespace Launcher.Attestation.Apple;

/// <summary>
/// Verifies an Apple Managed Device Attestation certificate chain (leaf first, as an admin exports it from the MDM)
/// to the Apple Enterprise Attestation Root CA and reads the device properties Apple put in it.
/// </summary>
public static class AppleAttestationVerifier
{
    /// <summary>SHA-256 fingerprint of the Apple Enterprise Attestation Root CA (P-384).</summary>
    public const string AppleRootSha256 = "ccf59ef8fcb3017d97f8b5fa6fa90e7a3f9283f76b55ac6cf6eda8b8b949f05b";

    private const string SerialOid = "1.2.840.113635.100.8.9.1";
    private const string UdidOid = "1.2.840.113635.100.8.9.2";
    private const string OsVersionOid = "1.2.840.113635.100.8.10.1";
    private const string FreshnessOid = "1.2.840.113635.100.8.11.1";
    private const int MaxChainLength = 5;

    private static readonly Lazy<X509Certificate2> s_appleRoot = new(LoadAppleRoot);

    /// <summary>Apple's root, loaded from this assembly and checked against <see cref="AppleRootSha256"/>.</summary>
    public static X509Certificate2 AppleRoot => s_appleRoot.Value;

    /// <summary>Verifies against Apple's root.</summary>
    public static AppleDeviceAttestation Verify(IReadOnlyList<byte[]> chain, DateTimeOffset now) => Verify(chain, AppleRoot, now);

    /// <summary>Verifies against <paramref name="root"/> (Apple's in production; a test root in tests).</summary>
    /// <exception cref="AttestationException">The chain is empty, too long, malformed or does not verify.</exception>
    public static AppleDeviceAttestation Verify(IReadOnlyList<byte[]> chain, X509Certificate2 root, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(root);
        if (chain.Count is 0 or > MaxChainLength)
        {
            throw new AttestationException($"an attestation chain has 1 to {MaxChainLength} certificates, not {chain.Count}");
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (byte[] der in chain)
            {
                try
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(der));
                }
                catch (CryptographicException)
                {
                    throw new AttestationException("the attestation chain holds something that is not a DER X.509 certificate");
                }
            }

            X509Certificate2 leaf = certificates[0];
            using var x509Chain = new X509Chain();
            x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509Chain.ChainPolicy.CustomTrustStore.Add(root);
            x509Chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
            x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            x509Chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            if (!x509Chain.Build(leaf))
            {
                string statuses = string.Join("; ", x509Chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                throw new AttestationException($"the attestation certificate does not chain to the Apple Enterprise Attestation Root CA ({statuses})");
            }

            return new AppleDeviceAttestation(
                ReadText(leaf, SerialOid),
                ReadText(leaf, UdidOid),
                ReadText(leaf, OsVersionOid),
                ReadValue(leaf, FreshnessOid),
                new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)));
        }
        finally
        {
            foreach (X509Certificate2 certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Reads every certificate of a PEM bundle, in order.</summary>
    public static IReadOnlyList<byte[]> ReadPemChain(string pem)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw new AttestationException("the attestation chain is not a PEM bundle of certificates");
        }

        return [.. collection.Select(c => c.RawData)];
    }

    /// <summary>
    /// Compares the attested serial with the one the daemon reports: <c>match</c>, <c>mismatch</c>, or
    /// <c>not-attested</c> when the certificate has no serial (User Enrollment).
    /// </summary>
    public static string CompareSerial(AppleDeviceAttestation attestation, string? reportedSerial)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        if (string.IsNullOrEmpty(attestation.Serial))
        {
            return "not-attested";
        }

        return string.Equals(attestation.Serial, reportedSerial?.Trim(), StringComparison.Ordinal) ? "match" : "mismatch";
    }

    private static string? ReadText(X509Certificate2 leaf, string oid)
    {
        byte[]? value = ReadValue(leaf, oid);
        if (value is null)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
        }
        catch (DecoderFallbackException)
        {
            throw new AttestationException($"the attestation certificate's {oid} is not UTF-8 text");
        }
    }

    /// <summary>
    /// The extension's value. Apple stores the bare bytes; a value that is exactly one DER OCTET STRING or UTF8String
    /// is unwrapped as well, so both encodings read the same.
    /// </summary>
    private static byte[]? ReadValue(X509Certificate2 leaf, string oid)
    {
        byte[]? raw = leaf.Extensions.FirstOrDefault(e => e.Oid?.Value == oid)?.RawData;
        if (raw is null)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(raw, AsnEncodingRules.DER);
            Asn1Tag tag = reader.PeekTag();
            if (tag == Asn1Tag.PrimitiveOctetString)
            {
                byte[] inner = reader.ReadOctetString();
                return reader.HasData ? raw : inner;
            }

            if (tag == new Asn1Tag(UniversalTagNumber.UTF8String))
            {
                string text = reader.ReadCharacterString(UniversalTagNumber.UTF8String);
                return reader.HasData ? raw : Encoding.UTF8.GetBytes(text);
            }
        }
        catch (AsnContentException)
        {
        }

        return raw;
    }

    private static X509Certificate2 LoadAppleRoot()
    {
        using Stream stream = typeof(AppleAttestationVerifier).Assembly.GetManifestResourceStream("apple-enterprise-attestation-root-ca.pem")
            ?? throw new InvalidOperationException("The Apple root is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        X509Certificate2 root = X509Certificate2.CreateFromPem(reader.ReadToEnd());
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(root.RawData));
        if (!string.Equals(fingerprint, AppleRootSha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The embedded Apple root has fingerprint {fingerprint}, not {AppleRootSha256}.");
        }

        return root;
    }
}
