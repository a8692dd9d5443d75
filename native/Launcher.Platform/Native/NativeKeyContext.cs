using System.Text;

namespace Launcher.Platform.Native;

/// <summary>
/// One open lnk_context. Every call holds a lock: the shim's context (one ESYS context on Linux) is not
/// thread-safe, and the TPM serialises commands anyway.
/// </summary>
internal sealed unsafe class NativeKeyContext : IDisposable
{
    private const int DetailBytes = 512;
    private const int MaxBlobBytes = 16 * 1024;

    // The LNK_*_MAX sizes of launcher_native.h: buffers this large always suffice.
    private const int PublicAreaMaxBytes = 640;
    private const int EndorsementKeyMaxBytes = 512;
    private const int CertificateMaxBytes = 4096;
    private const int ChainMaxBytes = 16384;
    private const int AttestMaxBytes = 1024;
    private const int CredentialMaxBytes = 64;
    private readonly Lock _lock = new();
    private IntPtr _handle;

    private NativeKeyContext(IntPtr handle)
    {
        _handle = handle;
    }

    /// <summary>Opens a context; <paramref name="config"/> is the TCTI string on Linux and ignored on macOS.</summary>
    public static NativeKeyContext Open(string? config)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        int status = NativeKeyLibrary.lnk_open(config, out IntPtr handle, detail, DetailBytes);
        Check(status, "lnk_open", detail);
        return new NativeKeyContext(handle);
    }

    /// <summary>Whether the hardware can be used now, with the shim's reason.</summary>
    public (bool Available, string Reason) CheckAvailable()
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        lock (_lock)
        {
            int status = NativeKeyLibrary.lnk_available(Handle, detail, DetailBytes);
            return (status == (int)NativeStatus.Ok, ReadDetail(detail));
        }
    }

    /// <summary>TPM only: TPM2_PT_MANUFACTURER and the two firmware-version words.</summary>
    public (uint Manufacturer, uint FirmwareVersion1, uint FirmwareVersion2) TpmProperties()
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        lock (_lock)
        {
            int status = NativeKeyLibrary.lnk_tpm_properties(Handle, out uint manufacturer, out uint firmware1, out uint firmware2, detail, DetailBytes);
            Check(status, "lnk_tpm_properties", detail);
            return (manufacturer, firmware1, firmware2);
        }
    }

    public byte[] CreateKey(NativeAccess access)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] blob = new byte[MaxBlobBytes];
        nuint length = (nuint)blob.Length;
        lock (_lock)
        {
            fixed (byte* blobPtr = blob)
            {
                int status = NativeKeyLibrary.lnk_create_key(Handle, (uint)access, blobPtr, ref length, detail, DetailBytes);
                Check(status, "lnk_create_key", detail);
            }
        }

        return blob.AsSpan(0, (int)length).ToArray();
    }

    public byte[] PublicKey(ReadOnlySpan<byte> blob)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] publicKey = new byte[65];
        nuint length = (nuint)publicKey.Length;
        lock (_lock)
        {
            fixed (byte* blobPtr = blob)
            fixed (byte* publicPtr = publicKey)
            {
                int status = NativeKeyLibrary.lnk_public_key(Handle, blobPtr, (nuint)blob.Length, publicPtr, ref length, detail, DetailBytes);
                Check(status, "lnk_public_key", detail);
            }
        }

        if (length != 65 || publicKey[0] != 0x04)
        {
            throw new NativeKeyException(NativeStatus.Internal, "lnk_public_key", "the shim returned a public key that is not an uncompressed P-256 point");
        }

        return publicKey;
    }

    /// <summary>Signs a SHA-256 digest; returns the shim's DER signature.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> digest)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte* signature = stackalloc byte[80];
        nuint length = 80;
        lock (_lock)
        {
            fixed (byte* blobPtr = blob)
            fixed (byte* digestPtr = digest)
            {
                int status = NativeKeyLibrary.lnk_sign_digest(Handle, blobPtr, (nuint)blob.Length, digestPtr, (nuint)digest.Length, signature, ref length, detail, DetailBytes);
                Check(status, "lnk_sign_digest", detail);
            }
        }

        return new ReadOnlySpan<byte>(signature, (int)length).ToArray();
    }

    /// <summary>lnk_ek_public for one LNK_EK_* kind.</summary>
    public NativeEndorsementKey ReadEndorsementKey(uint kind)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] area = new byte[PublicAreaMaxBytes];
        byte[] key = new byte[EndorsementKeyMaxBytes];
        nuint areaLength = (nuint)area.Length;
        nuint keyLength = (nuint)key.Length;
        uint exponent;
        uint source;
        lock (_lock)
        {
            fixed (byte* areaPtr = area)
            fixed (byte* keyPtr = key)
            {
                int status = NativeKeyLibrary.lnk_ek_public(Handle, kind, areaPtr, ref areaLength, keyPtr, ref keyLength, out exponent, out source, detail, DetailBytes);
                Check(status, "lnk_ek_public", detail);
            }
        }

        return new NativeEndorsementKey(area.AsSpan(0, (int)areaLength).ToArray(), key.AsSpan(0, (int)keyLength).ToArray(), exponent, source);
    }

    /// <summary>lnk_ek_certificate: the DER certificate; a <see cref="NativeKeyException"/> with
    /// <see cref="NativeStatus.NotFound"/> when the TPM has none of this kind.</summary>
    public byte[] ReadEndorsementCertificate(uint kind)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] certificate = new byte[CertificateMaxBytes];
        nuint length = (nuint)certificate.Length;
        lock (_lock)
        {
            fixed (byte* certificatePtr = certificate)
            {
                int status = NativeKeyLibrary.lnk_ek_certificate(Handle, kind, certificatePtr, ref length, detail, DetailBytes);
                Check(status, "lnk_ek_certificate", detail);
            }
        }

        return certificate.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>lnk_ek_chain: the EK chain certificates from NV, concatenated DER (empty when there are none).</summary>
    public byte[] ReadEndorsementCertificateChain()
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] certificates = new byte[ChainMaxBytes];
        nuint length = (nuint)certificates.Length;
        lock (_lock)
        {
            fixed (byte* certificatesPtr = certificates)
            {
                int status = NativeKeyLibrary.lnk_ek_chain(Handle, certificatesPtr, ref length, detail, DetailBytes);
                Check(status, "lnk_ek_chain", detail);
            }
        }

        return certificates.AsSpan(0, (int)length).ToArray();
    }

    public byte[] CreateAttestationKey()
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] blob = new byte[MaxBlobBytes];
        nuint length = (nuint)blob.Length;
        lock (_lock)
        {
            fixed (byte* blobPtr = blob)
            {
                int status = NativeKeyLibrary.lnk_create_ak(Handle, blobPtr, ref length, detail, DetailBytes);
                Check(status, "lnk_create_ak", detail);
            }
        }

        return blob.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>lnk_ak_public: loads the AK blob and returns its marshalled TPMT_PUBLIC.</summary>
    public byte[] AttestationKeyPublicArea(ReadOnlySpan<byte> akBlob)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] area = new byte[PublicAreaMaxBytes];
        nuint length = (nuint)area.Length;
        lock (_lock)
        {
            fixed (byte* akPtr = akBlob)
            fixed (byte* areaPtr = area)
            {
                int status = NativeKeyLibrary.lnk_ak_public(Handle, akPtr, (nuint)akBlob.Length, areaPtr, ref length, detail, DetailBytes);
                Check(status, "lnk_ak_public", detail);
            }
        }

        return area.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>lnk_activate_credential: the decrypted credential.</summary>
    public byte[] ActivateCredential(uint kind, ReadOnlySpan<byte> akBlob, ReadOnlySpan<byte> credentialBlob, ReadOnlySpan<byte> encryptedSecret)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte* credential = stackalloc byte[CredentialMaxBytes];
        nuint length = CredentialMaxBytes;
        lock (_lock)
        {
            fixed (byte* akPtr = akBlob)
            fixed (byte* blobPtr = credentialBlob)
            fixed (byte* secretPtr = encryptedSecret)
            {
                int status = NativeKeyLibrary.lnk_activate_credential(Handle, kind, akPtr, (nuint)akBlob.Length, blobPtr, (nuint)credentialBlob.Length, secretPtr, (nuint)encryptedSecret.Length, credential, ref length, detail, DetailBytes);
                Check(status, "lnk_activate_credential", detail);
            }
        }

        byte[] result = new ReadOnlySpan<byte>(credential, (int)length).ToArray();
        new Span<byte>(credential, CredentialMaxBytes).Clear();
        return result;
    }

    /// <summary>lnk_certify of the machine key blob by the AK blob over the nonce.</summary>
    public NativeCertification Certify(ReadOnlySpan<byte> akBlob, ReadOnlySpan<byte> keyBlob, ReadOnlySpan<byte> nonce)
    {
        byte* detail = stackalloc byte[DetailBytes];
        detail[0] = 0;
        byte[] attest = new byte[AttestMaxBytes];
        byte[] signature = new byte[80];
        byte[] area = new byte[PublicAreaMaxBytes];
        nuint attestLength = (nuint)attest.Length;
        nuint signatureLength = (nuint)signature.Length;
        nuint areaLength = (nuint)area.Length;
        lock (_lock)
        {
            fixed (byte* akPtr = akBlob)
            fixed (byte* keyPtr = keyBlob)
            fixed (byte* noncePtr = nonce)
            fixed (byte* attestPtr = attest)
            fixed (byte* signaturePtr = signature)
            fixed (byte* areaPtr = area)
            {
                int status = NativeKeyLibrary.lnk_certify(Handle, akPtr, (nuint)akBlob.Length, keyPtr, (nuint)keyBlob.Length, noncePtr, (nuint)nonce.Length, attestPtr, ref attestLength, signaturePtr, ref signatureLength, areaPtr, ref areaLength, detail, DetailBytes);
                Check(status, "lnk_certify", detail);
            }
        }

        return new NativeCertification(
            attest.AsSpan(0, (int)attestLength).ToArray(),
            signature.AsSpan(0, (int)signatureLength).ToArray(),
            area.AsSpan(0, (int)areaLength).ToArray());
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle != IntPtr.Zero)
            {
                NativeKeyLibrary.lnk_close(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(NativeKeyContext));

    private static void Check(int status, string operation, byte* detail)
    {
        if (status != (int)NativeStatus.Ok)
        {
            NativeStatus known = Enum.IsDefined((NativeStatus)status) ? (NativeStatus)status : NativeStatus.Internal;
            throw new NativeKeyException(known, operation, ReadDetail(detail));
        }
    }

    private static string ReadDetail(byte* detail)
    {
        int length = 0;
        while (length < DetailBytes && detail[length] != 0)
        {
            length++;
        }

        return length == 0 ? "no detail" : Encoding.UTF8.GetString(detail, length);
    }
}
