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
