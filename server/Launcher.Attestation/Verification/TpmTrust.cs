using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Attestation.Verification;

/// <summary>
/// What a fleet server trusts about TPMs: a directory of TPM makers' certificates, and an allow-list of EK public
/// keys (SHA-256 of their SubjectPublicKeyInfo, hex) for TPMs without a certificate. Self-signed certificates in
/// the directory are roots; the others are intermediates that may complete a chain (TPMs rarely store their
/// issuing CA in NV, and a server offline cannot follow the certificate's AIA address). Nothing is trusted by
/// default: with neither configured, no EK is ever "verified".
/// </summary>
public sealed class TpmTrust
{
    /// <summary>Creates a trust configuration.</summary>
    public TpmTrust(IReadOnlyList<X509Certificate2> roots, IEnumerable<string> ekAllowList, IReadOnlyList<X509Certificate2>? intermediates = null)
    {
        Roots = roots;
        Intermediates = intermediates ?? [];
        EkAllowList = new HashSet<string>(ekAllowList.Select(Normalise), StringComparer.Ordinal);
    }

    /// <summary>Trusts nothing.</summary>
    public static TpmTrust None { get; } = new([], []);

    /// <summary>The TPM makers' roots.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    /// <summary>The makers' intermediate CAs that the directory holds.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>Allowed EKs by SHA-256 of their SubjectPublicKeyInfo (lower-case hex).</summary>
    public IReadOnlySet<string> EkAllowList { get; }

    /// <summary>
    /// Loads every certificate (PEM or DER; .pem, .crt, .cer, .der) in <paramref name="rootsDirectory"/> and the
    /// allow-list file (one hex SHA-256 per line; '#' starts a comment).
    /// </summary>
    public static TpmTrust Load(string? rootsDirectory, string? allowListFile)
    {
        var roots = new List<X509Certificate2>();
        var intermediates = new List<X509Certificate2>();
        if (rootsDirectory is not null)
        {
            foreach (string path in Directory.EnumerateFiles(rootsDirectory).Order(StringComparer.Ordinal))
            {
                string extension = Path.GetExtension(path).ToLowerInvariant();
                if (extension is not (".pem" or ".crt" or ".cer" or ".der"))
                {
                    continue;
                }

                var loaded = new X509Certificate2Collection();
                byte[] bytes = File.ReadAllBytes(path);
                if (bytes.Length > 0 && bytes[0] == 0x30)
                {
                    loaded.Add(X509CertificateLoader.LoadCertificate(bytes));
                }
                else
                {
                    loaded.ImportFromPem(System.Text.Encoding.ASCII.GetString(bytes));
                }

                foreach (X509Certificate2 certificate in loaded)
                {
                    (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? roots : intermediates).Add(certificate);
                }
            }
        }

        var allowed = new List<string>();
        if (allowListFile is not null)
        {
            foreach (string raw in File.ReadAllLines(allowListFile))
            {
                string line = raw.Split('#', 2)[0].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.Length != 64 || !line.All(Uri.IsHexDigit))
                {
                    throw new FormatException($"{allowListFile}: '{line}' is not a hex SHA-256");
                }

                allowed.Add(line);
            }
        }

        return new TpmTrust(roots, allowed, intermediates);
    }

    /// <summary>The allow-list form of an EK: SHA-256 of its SubjectPublicKeyInfo, lower-case hex.</summary>
    public static string EkFingerprint(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    private static string Normalise(string hex) => hex.Trim().ToLowerInvariant();
}
