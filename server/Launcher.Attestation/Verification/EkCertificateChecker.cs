using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Verification;

/// <summary>
/// Decides how far an EK is trusted: its certificate must carry exactly the EK public key presented (or the whole
/// enrolment is refused); then it chains to a configured TPM maker root (verified), or the EK is allow-listed, or
/// it is unverified with the reason.
/// </summary>
public static class EkCertificateChecker
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string TpmManufacturerOid = "2.23.133.2.1";
    private const string TpmModelOid = "2.23.133.2.2";
    private const string TpmVersionOid = "2.23.133.2.3";

    /// <summary>Checks the EK against its certificate and the trust configuration.</summary>
    /// <exception cref="AttestationException">The certificate does not parse or names another key.</exception>
    public static EkVerdict Check(TpmPublic ek, byte[]? certificateDer, IReadOnlyList<byte[]> intermediates, TpmTrust trust, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ek);
        ArgumentNullException.ThrowIfNull(trust);
        string fingerprint = TpmTrust.EkFingerprint(ek.ExportSubjectPublicKeyInfo());
        bool allowListed = trust.EkAllowList.Contains(fingerprint);
        if (certificateDer is null)
        {
            return allowListed
                ? new EkVerdict(AttestationLevels.TpmEkAllowlisted, null, null, null, fingerprint)
                : new EkVerdict(AttestationLevels.TpmUnverified, null, null, "the TPM has no EK certificate and its EK is not on the allow-list", fingerprint);
        }

        using X509Certificate2 certificate = LoadCertificate(certificateDer, "EK certificate");
        if (!CertificateKeyMatches(certificate, ek))
        {
            throw new AttestationException("the EK certificate is for another key than the EK public key presented");
        }

        (string? maker, string? model) = ReadTpmIdentity(certificate);
        string? chainError = ChainError(certificate, intermediates, trust, now);
        if (chainError is null)
        {
            return new EkVerdict(AttestationLevels.TpmEkVerified, maker, model, null, fingerprint);
        }

        return allowListed
            ? new EkVerdict(AttestationLevels.TpmEkAllowlisted, maker, model, null, fingerprint)
            : new EkVerdict(AttestationLevels.TpmUnverified, maker, model, chainError, fingerprint);
    }

    /// <summary>Null when the certificate chains to one of the trusted roots at <paramref name="now"/>; otherwise why not.</summary>
    private static string? ChainError(X509Certificate2 certificate, IReadOnlyList<byte[]> intermediates, TpmTrust trust, DateTimeOffset now)
    {
        if (trust.Roots.Count == 0)
        {
            return "no TPM maker roots are configured (--tpm-roots)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Roots.ToArray());
        var extra = new List<X509Certificate2>();
        try
        {
            foreach (byte[] der in intermediates)
            {
                extra.Add(LoadCertificate(der, "EK intermediate certificate"));
            }

            chain.ChainPolicy.ExtraStore.AddRange(extra.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(trust.Intermediates.ToArray());
            if (chain.Build(certificate))
            {
                return null;
            }

            string statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return $"the EK certificate does not chain to a trusted TPM maker root ({(statuses.Length > 0 ? statuses : "untrusted")})";
        }
        finally
        {
            foreach (X509Certificate2 certificateInChain in extra)
            {
                certificateInChain.Dispose();
            }
        }
    }

    private static X509Certificate2 LoadCertificate(byte[] der, string what)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new AttestationException($"the {what} is not a DER X.509 certificate");
        }
    }

    /// <summary>Compares the certificate's key with the EK: RSA modulus and exponent, or curve and point.</summary>
    internal static bool CertificateKeyMatches(X509Certificate2 certificate, TpmPublic ek)
    {
        byte[] key = certificate.PublicKey.EncodedKeyValue.RawData;
        string algorithm = certificate.PublicKey.Oid.Value ?? string.Empty;
        try
        {
            if (ek.Type == TpmAlg.Rsa)
            {
                // rsaEncryption, or RSAES-OAEP as some EK certificates name their key: both hold an RSAPublicKey.
                if (algorithm is not ("1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.7"))
                {
                    return false;
                }

                var reader = new AsnReader(key, AsnEncodingRules.DER);
                AsnReader sequence = reader.ReadSequence();
                BigInteger modulus = sequence.ReadInteger();
                BigInteger exponent = sequence.ReadInteger();
                var ekModulus = new BigInteger(ek.RsaModulus, isUnsigned: true, isBigEndian: true);
                uint ekExponent = ek.RsaExponent == 0 ? 65537u : ek.RsaExponent;
                return modulus == ekModulus && exponent == ekExponent;
            }

            if (algorithm != "1.2.840.10045.2.1")
            {
                return false;
            }

            byte[]? parameters = certificate.PublicKey.EncodedParameters?.RawData;
            if (parameters is null)
            {
                return false;
            }

            string curve = new AsnReader(parameters, AsnEncodingRules.DER).ReadObjectIdentifier();
            string expectedCurve = ek.Curve switch
            {
                TpmAlg.CurveNistP256 => "1.2.840.10045.3.1.7",
                TpmAlg.CurveNistP384 => "1.3.132.0.34",
                TpmAlg.CurveNistP521 => "1.3.132.0.35",
                _ => string.Empty,
            };
            int size = ek.CurveSize;
            return curve == expectedCurve
                && key.Length == 1 + (2 * size)
                && key[0] == 0x04
                && key.AsSpan(1, size).SequenceEqual(TpmPublic.PadLeft(ek.EccX, size))
                && key.AsSpan(1 + size, size).SequenceEqual(TpmPublic.PadLeft(ek.EccY, size));
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The TPM maker and model from the certificate's subject alternative name (directoryName attributes).</summary>
    internal static (string? Maker, string? Model) ReadTpmIdentity(X509Certificate2 certificate)
    {
        X509Extension? san = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
        byte[]? sanValue = san?.RawData;
        if (sanValue is null)
        {
            return (null, null);
        }

        string? maker = null;
        string? model = null;
        string? version = null;
        try
        {
            AsnReader names = new AsnReader(sanValue, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue != 4)
                {
                    names.ReadEncodedValue();
                    continue;
                }

                // directoryName [4] EXPLICIT Name: a SEQUENCE of RDNs, each a SET of (type, value).
                AsnReader directory = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true));
                AsnReader name = directory.ReadSequence();
                while (name.HasData)
                {
                    AsnReader rdn = name.ReadSetOf();
                    while (rdn.HasData)
                    {
                        AsnReader attribute = rdn.ReadSequence();
                        string type = attribute.ReadObjectIdentifier();
                        string value = ReadDirectoryString(attribute);
                        switch (type)
                        {
                            case TpmManufacturerOid:
                                maker = value;
                                break;
                            case TpmModelOid:
                                model = value;
                                break;
                            case TpmVersionOid:
                                version = value;
                                break;
                        }
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            return (null, null);
        }

        string? modelText = model is null ? null : version is null ? model : $"{model} {version}";
        return (maker is null ? null : DescribeVendor(maker), modelText);
    }

    /// <summary>"id:49465800" becomes "IFX (id:49465800)"; an id that is not printable ASCII stays as it is.</summary>
    internal static string DescribeVendor(string manufacturer)
    {
        const string prefix = "id:";
        if (!manufacturer.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || manufacturer.Length != prefix.Length + 8)
        {
            return manufacturer;
        }

        try
        {
            byte[] bytes = Convert.FromHexString(manufacturer.AsSpan(prefix.Length));
            string ascii = Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ');
            return ascii.Length > 0 && ascii.All(c => c is >= '!' and <= '~') ? $"{ascii} ({manufacturer})" : manufacturer;
        }
        catch (FormatException)
        {
            return manufacturer;
        }
    }

    private static string ReadDirectoryString(AsnReader attribute)
    {
        Asn1Tag tag = attribute.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.T61String:
                case UniversalTagNumber.BMPString:
                    return attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue);
            }
        }

        attribute.ReadEncodedValue();
        return string.Empty;
    }
}
