using System.Buffers.Binary;
using Launcher.Contracts;
using Launcher.Platform.Attestation;
using Launcher.Platform.Files;
using Launcher.Platform.Native;

namespace Launcher.Platform.Keys;

/// <summary>
/// The machine key in a TPM 2.0 through the native shim (native/linux). The key lives outside the TPM as two files
/// in the state directory, wrapped by the TPM's storage root key so they are useless on another machine:
/// <c>machine-key.tpm.pub</c> (a marshalled TPM2B_PUBLIC) and <c>machine-key.tpm.priv</c> (a marshalled
/// TPM2B_PRIVATE), the same files <c>tpm2_load -u/-r</c> takes. The shim's blob is the two concatenated.
/// </summary>
/// <remarks>
/// Failures fall in two classes, and callers must keep them apart:
/// <list type="bullet">
/// <item><see cref="KeyUnusableException"/>: the files are there but can never work (one missing, truncated,
/// corrupt, swapped, or rejected by the TPM because they belong to another TPM or the owner hierarchy was
/// cleared). The identity is lost; retrying cannot help.</item>
/// <item><see cref="IOException"/>: the TPM cannot be reached or failed now (no device node, swtpm down, a TPM
/// error other than a rejected blob). Nothing is known about the key, so it must not be declared lost: retry
/// later. The next call re-opens the TPM connection.</item>
/// </list>
/// </remarks>
internal sealed class TpmKeyStore : IKeyStore
{
    public const string PublicFileName = "machine-key.tpm.pub";
    public const string PrivateFileName = "machine-key.tpm.priv";

    // A marshalled TPM2B_PUBLIC of a P-256 key is about 90 bytes and a TPM2B_PRIVATE about 130; anything near this
    // cap is not ours, and the cap keeps a hostile file from being read into memory.
    private const int MaxFileBytes = 4096;

    private readonly string _stateDirectory;
    private readonly string? _tcti;
    private readonly Lock _lock = new();
    private NativeKeyContext? _context;
    private bool _disposed;

    /// <param name="stateDirectory">The directory that holds the key files (checked by the caller).</param>
    /// <param name="tcti">The TCTI configuration, e.g. <c>swtpm:host=127.0.0.1,port=2321</c>; null for
    /// the shim's default <c>device:/dev/tpmrm0</c>.</param>
    public TpmKeyStore(string stateDirectory, string? tcti)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        _stateDirectory = stateDirectory;
        _tcti = string.IsNullOrEmpty(tcti) ? null : tcti;
        Attestation = new TpmAttestation(this, stateDirectory);
    }

    public string KeyClass => KeyClasses.Tpm;

    /// <summary>The TPM attestation primitives over this store's TPM connection (docs/identity.md, "Attestation").</summary>
    public ITpmAttestation Attestation { get; }

    public string PublicKeyPath => Path.Combine(_stateDirectory, PublicFileName);

    public string PrivateKeyPath => Path.Combine(_stateDirectory, PrivateFileName);

    /// <summary>The TPM's maker and firmware; throws <see cref="IOException"/> when the TPM cannot be asked now.</summary>
    public TpmDeviceInfo ReadDeviceInfo()
    {
        if (!NativeKeyLibrary.TryCheckLoadable(out string reason))
        {
            throw new IOException(reason);
        }

        lock (_lock)
        {
            try
            {
                (uint manufacturer, uint firmware1, uint firmware2) = Context().TpmProperties();
                return TpmDeviceInfo.FromProperties(manufacturer, firmware1, firmware2);
            }
            catch (NativeKeyException ex)
            {
                DropContext();
                throw new IOException($"The TPM cannot be asked now ({ex.Status}): {ex.Detail}", ex);
            }
        }
    }

    public KeyStoreAvailability CheckAvailability()
    {
        if (!NativeKeyLibrary.TryCheckLoadable(out string reason))
        {
            return KeyStoreAvailability.Unavailable(reason);
        }

        lock (_lock)
        {
            try
            {
                (bool available, string detail) = Context().CheckAvailable();
                if (!available)
                {
                    DropContext();
                }

                return available ? KeyStoreAvailability.Available(detail) : KeyStoreAvailability.Unavailable(detail);
            }
            catch (NativeKeyException ex)
            {
                DropContext();
                return KeyStoreAvailability.Unavailable(ex.Detail);
            }
        }
    }

    public bool KeyExists()
    {
        return Exists(PublicKeyPath) || Exists(PrivateKeyPath);
    }

    public ISigningKey Load()
    {
        bool hasPublic = Exists(PublicKeyPath);
        bool hasPrivate = Exists(PrivateKeyPath);
        if (!hasPublic && !hasPrivate)
        {
            throw new FileNotFoundException($"No TPM key in {_stateDirectory}.", PublicKeyPath);
        }

        if (!hasPublic || !hasPrivate)
        {
            string missing = hasPublic ? PrivateFileName : PublicFileName;
            throw new KeyUnusableException($"The TPM key in {_stateDirectory} is incomplete: {missing} is missing.");
        }

        byte[] publicPart = ReadPart(PublicKeyPath);
        byte[] privatePart = ReadPart(PrivateKeyPath);
        byte[] blob = [.. publicPart, .. privatePart];

        byte[] publicKey = Invoke(context => context.PublicKey(blob));
        return new TpmSigningKey(this, blob, publicKey);
    }

    public ISigningKey Create()
    {
        if (KeyExists())
        {
            throw new IOException($"A TPM key already exists in {_stateDirectory}.");
        }

        byte[] blob = Invoke(context => context.CreateKey(NativeAccess.Always));
        int publicLength = FramedLength(blob, "the shim's new key blob");
        ReadOnlySpan<byte> publicPart = blob.AsSpan(0, publicLength);
        ReadOnlySpan<byte> privatePart = blob.AsSpan(publicLength);
        if (FramedLength(privatePart, "the shim's new key blob") != privatePart.Length)
        {
            throw new InvalidOperationException("The native shim returned a key blob with bytes after its private part.");
        }

        // The private part first and the public part last: a crash in between leaves a .priv without a .pub,
        // which Load reports as unusable and Create refuses to overwrite, so a half-written key is never taken for
        // a whole one. The two-file layout is what tpm2-tools reads, which is worth that corner.
        SecureFile.CreateNewAtomic(PrivateKeyPath, privatePart);
        SecureFile.CreateNewAtomic(PublicKeyPath, publicPart);

        byte[] publicKey = Invoke(context => context.PublicKey(blob));
        return new TpmSigningKey(this, blob, publicKey);
    }

    public void Delete()
    {
        lock (_lock)
        {
            // A loaded copy of the old key must not outlive its files.
            DropContext();
        }

        File.Delete(PublicKeyPath);
        File.Delete(PrivateKeyPath);
    }

    /// <summary>The blob of a key this store loaded or created; null for any other key.</summary>
    internal static byte[]? BlobOf(ISigningKey key) => key is TpmSigningKey tpmKey ? tpmKey.Blob : null;

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            DropContext();
        }
    }

    /// <summary>Signs through the store's context; used by <see cref="TpmSigningKey"/>.</summary>
    internal byte[] SignDigest(byte[] blob, ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException($"A SHA-256 digest has 32 bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        byte[] digest = sha256Digest.ToArray();
        return Invoke(context => context.SignDigest(blob, digest));
    }

    /// <summary>Runs one shim call under the store's lock and maps its status to the store's exceptions;
    /// <paramref name="keyDescription"/> names the key a rejected blob belongs to.</summary>
    internal T Invoke<T>(Func<NativeKeyContext, T> call, string? keyDescription = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return call(Context());
            }
            catch (NativeKeyException ex) when (ex.Status == NativeStatus.KeyInvalid)
            {
                throw new KeyUnusableException($"{keyDescription ?? "The TPM key"} in {_stateDirectory} is unusable: {ex.Detail}", ex);
            }
            catch (NativeKeyException ex) when (ex.Status == NativeStatus.NotSupported)
            {
                throw new NotSupportedException($"The TPM cannot do this: {ex.Detail}", ex);
            }
            catch (NativeKeyException ex) when (ex.Status == NativeStatus.CredentialRejected)
            {
                throw new CredentialRejectedException($"The TPM refused the credential: {ex.Detail}", ex);
            }
            catch (NativeKeyException ex) when (ex.Status == NativeStatus.NotFound)
            {
                throw new FileNotFoundException($"Not in the TPM: {ex.Detail}", ex);
            }
            catch (NativeKeyException ex) when (ex.Status == NativeStatus.InvalidArgument)
            {
                throw new ArgumentException(ex.Message, ex);
            }
            catch (NativeKeyException ex)
            {
                // The connection may be what broke (swtpm restarted, device reset): a fresh context next time.
                DropContext();
                throw new IOException($"The TPM cannot be used now ({ex.Status}): {ex.Detail}", ex);
            }
        }
    }

    private NativeKeyContext Context()
    {
        if (_context is null)
        {
            if (!NativeKeyLibrary.TryCheckLoadable(out string reason))
            {
                throw new NativeKeyException(NativeStatus.Unavailable, "load", reason);
            }

            _context = NativeKeyContext.Open(_tcti);
        }

        return _context;
    }

    private void DropContext()
    {
        _context?.Dispose();
        _context = null;
    }

    internal static byte[] ReadPart(string path)
    {
        string name = Path.GetFileName(path);
        if (SecureFile.IsSymbolicLink(path))
        {
            throw new KeyUnusableException($"{path} is a symbolic link; a key file must be a regular file.");
        }

        byte[] bytes;
        try
        {
            bytes = SecureFile.ReadAllBytes(path, MaxFileBytes);
        }
        catch (InvalidDataException ex)
        {
            throw new KeyUnusableException($"{name} is larger than any TPM key file ({MaxFileBytes} bytes).", ex);
        }

        int framed = FramedLength(bytes, name);
        if (framed != bytes.Length)
        {
            throw new KeyUnusableException($"{name} has {bytes.Length - framed} bytes after its declared content.");
        }

        return bytes;
    }

    /// <summary>The length of the TPM2B at the start of <paramref name="bytes"/> (its 2-byte big-endian size
    /// plus that many bytes).</summary>
    internal static int FramedLength(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length < 2)
        {
            throw new KeyUnusableException($"{what} is truncated: {bytes.Length} bytes.");
        }

        int declared = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        if (declared == 0 || declared > bytes.Length - 2)
        {
            throw new KeyUnusableException($"{what} is truncated or corrupt: it declares {declared} bytes and holds {bytes.Length - 2}.");
        }

        return declared + 2;
    }

    internal static bool Exists(string path)
    {
        // A dangling symbolic link is still "something is there": it must surface as unusable, not as no key.
        return File.Exists(path) || SecureFile.IsSymbolicLink(path);
    }
}
