using System.Formats.Asn1;
using System.Security.Cryptography;
using Launcher.Contracts.Tpm;
using Launcher.Platform.Files;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;

namespace Launcher.Platform.Attestation;

/// <summary>
/// TPM attestation through the native shim, over the TPM connection of a <see cref="TpmKeyStore"/> (its lock, its
/// context, its error mapping). The attestation key lives under the storage root key, like the machine key, as two
/// files in the state directory: <c>attestation-key.tpm.pub</c> (TPM2B_PUBLIC) and <c>attestation-key.tpm.priv</c>
/// (TPM2B_PRIVATE), mode 0600, written atomically (private part first).
/// </summary>
internal sealed class TpmAttestation : ITpmAttestation
{
    public const string PublicFileName = "attestation-key.tpm.pub";
    public const string PrivateFileName = "attestation-key.tpm.priv";
    public const int MinNonceBytes = 16;
    public const int MaxNonceBytes = 64;

    private const string AttestationKeyDescription = "The TPM attestation key";

    private readonly TpmKeyStore _store;
    private readonly string _stateDirectory;
    private readonly Lock _filesLock = new();

    public TpmAttestation(TpmKeyStore store, string stateDirectory)
    {
        _store = store;
        _stateDirectory = stateDirectory;
    }

    public string PublicKeyPath => Path.Combine(_stateDirectory, PublicFileName);

    public string PrivateKeyPath => Path.Combine(_stateDirectory, PrivateFileName);

    public KeyStoreAvailability CheckSupport()
    {
        KeyStoreAvailability availability = _store.CheckAvailability();
        return availability.IsAvailable
            ? KeyStoreAvailability.Available("TPM 2.0 attestation: endorsement key, attestation key, credential activation, certify")
            : availability;
    }

    public EndorsementKey ReadEndorsementKey(EndorsementKeyKind kind)
    {
        CheckKind(kind);
        NativeEndorsementKey native = _store.Invoke(context => context.ReadEndorsementKey((uint)kind));
        TpmPublic area = ParseArea(native.PublicArea, "endorsement key");
        byte[] spki;
        try
        {
            spki = area.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new IOException($"The TPM returned an endorsement key that is not a valid {kind} key: {ex.Message}", ex);
        }

        EndorsementKeySource source = Enum.IsDefined((EndorsementKeySource)native.Source)
            ? (EndorsementKeySource)native.Source
            : throw new IOException($"The native shim reported an unknown EK source {native.Source}.");
        return new EndorsementKey(kind, native.PublicArea, area.ComputeName(), spki, source);
    }

    public byte[]? ReadEndorsementCertificate(EndorsementKeyKind kind)
    {
        CheckKind(kind);
        try
        {
            return _store.Invoke(context => context.ReadEndorsementCertificate((uint)kind));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public IReadOnlyList<byte[]> ReadEndorsementCertificateChain()
    {
        byte[] concatenated = _store.Invoke(context => context.ReadEndorsementCertificateChain());
        var certificates = new List<byte[]>();
        int offset = 0;
        while (offset < concatenated.Length)
        {
            int length = DerSequenceLength(concatenated.AsSpan(offset));
            certificates.Add(concatenated.AsSpan(offset, length).ToArray());
            offset += length;
        }

        return certificates;
    }

    public AttestationKey LoadOrCreateAttestationKey()
    {
        lock (_filesLock)
        {
            bool hasPublic = TpmKeyStore.Exists(PublicKeyPath);
            bool hasPrivate = TpmKeyStore.Exists(PrivateKeyPath);
            if (hasPublic && hasPrivate)
            {
                try
                {
                    return Load();
                }
                catch (KeyUnusableException)
                {
                    // Rejected by the TPM or damaged: an AK carries no identity (the server binds it anew at each
                    // enrolment), so a fresh one replaces it. A TPM that cannot be reached (IOException) never
                    // gets here.
                }
            }

            DeleteFiles();
            byte[] blob = _store.Invoke(context => context.CreateAttestationKey(), AttestationKeyDescription);
            int publicLength = TpmKeyStore.FramedLength(blob, "the shim's new attestation key blob");
            SecureFile.CreateNewAtomic(PrivateKeyPath, blob.AsSpan(publicLength));
            SecureFile.CreateNewAtomic(PublicKeyPath, blob.AsSpan(0, publicLength));
            return Load();
        }
    }

    public void DeleteAttestationKey()
    {
        lock (_filesLock)
        {
            DeleteFiles();
        }
    }

    public MachineKeyCertification CertifyMachineKey(ISigningKey machineKey, AttestationKey attestationKey, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(machineKey);
        ArgumentNullException.ThrowIfNull(attestationKey);
        byte[] keyBlob = TpmKeyStore.BlobOf(machineKey)
            ?? throw new ArgumentException($"Only a TPM machine key can be certified, not a {machineKey.KeyClass} key.", nameof(machineKey));
        if (nonce.Length is < MinNonceBytes or > MaxNonceBytes)
        {
            throw new ArgumentException($"The nonce must have {MinNonceBytes} to {MaxNonceBytes} bytes, not {nonce.Length}.", nameof(nonce));
        }

        byte[] nonceCopy = nonce.ToArray();
        NativeCertification native = _store.Invoke(context => context.Certify(attestationKey.Blob, keyBlob, nonceCopy), "A TPM key");
        return new MachineKeyCertification(native.Attest, native.SignatureDer, native.KeyPublicArea);
    }

    public byte[] ActivateCredential(EndorsementKeyKind kind, AttestationKey attestationKey, ReadOnlySpan<byte> credentialBlob, ReadOnlySpan<byte> encryptedSecret)
    {
        CheckKind(kind);
        ArgumentNullException.ThrowIfNull(attestationKey);
        byte[] blob = credentialBlob.ToArray();
        byte[] secret = encryptedSecret.ToArray();
        return _store.Invoke(context => context.ActivateCredential((uint)kind, attestationKey.Blob, blob, secret), AttestationKeyDescription);
    }

    private AttestationKey Load()
    {
        byte[] publicPart = TpmKeyStore.ReadPart(PublicKeyPath);
        byte[] privatePart = TpmKeyStore.ReadPart(PrivateKeyPath);
        byte[] blob = [.. publicPart, .. privatePart];
        byte[] publicArea = _store.Invoke(context => context.AttestationKeyPublicArea(blob), AttestationKeyDescription);
        try
        {
            return new AttestationKey(blob, publicArea);
        }
        catch (FormatException ex)
        {
            throw new KeyUnusableException($"The attestation key's public area does not parse: {ex.Message}", ex);
        }
    }

    private void DeleteFiles()
    {
        File.Delete(PublicKeyPath);
        File.Delete(PrivateKeyPath);
    }

    private static TpmPublic ParseArea(byte[] publicArea, string what)
    {
        try
        {
            return TpmPublic.Parse(publicArea);
        }
        catch (FormatException ex)
        {
            throw new IOException($"The TPM returned an {what} public area that does not parse: {ex.Message}", ex);
        }
    }

    /// <summary>The length of the DER SEQUENCE at the start of <paramref name="der"/>; the shim wrote only whole
    /// ones, so anything else is its bug.</summary>
    private static int DerSequenceLength(ReadOnlySpan<byte> der)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out int consumed);
            return consumed;
        }
        catch (AsnContentException ex)
        {
            throw new IOException($"The native shim returned an EK chain that is not DER: {ex.Message}", ex);
        }
    }

    private static void CheckKind(EndorsementKeyKind kind)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown endorsement key kind.");
        }
    }
}
