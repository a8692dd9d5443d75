using Launcher.Platform.Attestation;
using Launcher.Platform.Files;
using Launcher.Platform.Native;

namespace Launcher.Platform.Keys;

/// <summary>
/// A P-256 key in this Mac's Secure Enclave, persisted as CryptoKit's wrapped blob in a 0600 file. The blob is
/// useless on another Mac but is a capability on this one (it is not bound to our binary), so the file's mode is
/// checked on every load.
/// </summary>
/// <remarks>
/// Failures are split three ways: <see cref="FileNotFoundException"/> (no key), <see cref="KeyUnusableException"/>
/// (the blob is corrupt or from another Mac: the identity is lost), and <see cref="NativeKeyException"/> with
/// <see cref="NativeStatus.NotPermitted"/>, <see cref="NativeStatus.Unavailable"/> or <see cref="NativeStatus.Device"/>
/// (the Enclave refused now, e.g. a user key before first unlock: retry later, never treat as lost).
/// Nothing here calls a macOS API directly (the shim does), so it compiles and its file handling is tested on Linux;
/// only the factory that picks it is macOS-only.
/// </remarks>
internal sealed class SecureEnclaveKeyStore : IKeyStore
{
    private const int MaxBlobBytes = 16 * 1024;
    private const UnixFileMode GroupOrOtherAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _keyPath;
    private readonly NativeAccess _access;
    private readonly Lock _lock = new();
    private NativeKeyContext? _context;
    private bool _disposed;

    /// <param name="keyPath">The blob file, in a directory only its owner can write.</param>
    /// <param name="keyClass"><c>KeyClasses.SecureEnclave</c> (daemon) or <c>KeyClasses.UserSecureEnclave</c> (agent).</param>
    /// <param name="access"><see cref="NativeAccess.Always"/> for the daemon's pre-logon key,
    /// <see cref="NativeAccess.AfterFirstUnlock"/> for a user key.</param>
    public SecureEnclaveKeyStore(string keyPath, string keyClass, NativeAccess access)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyClass);
        if (!Enum.IsDefined(access))
        {
            throw new ArgumentOutOfRangeException(nameof(access));
        }

        _keyPath = Path.GetFullPath(keyPath);
        KeyClass = keyClass;
        _access = access;
    }

    public string KeyClass { get; }

    /// <summary>Always "not supported": the Secure Enclave has no EK or AK.</summary>
    public ITpmAttestation Attestation { get; } = new UnsupportedTpmAttestation("TPM attestation is not supported by the Secure Enclave: it has no endorsement key or certificate chain a fleet could verify (docs/identity.md, \"Attestation\")");

    public KeyStoreAvailability CheckAvailability()
    {
        if (!NativeKeyLibrary.TryCheckLoadable(out string reason))
        {
            return KeyStoreAvailability.Unavailable(reason);
        }

        try
        {
            (bool available, string detail) = Context.CheckAvailable();
            return available ? KeyStoreAvailability.Available(detail) : KeyStoreAvailability.Unavailable(detail);
        }
        catch (NativeKeyException ex)
        {
            return KeyStoreAvailability.Unavailable(ex.Message);
        }
    }

    public bool KeyExists() => File.Exists(_keyPath) || SecureFile.IsSymbolicLink(_keyPath);

    public ISigningKey Load()
    {
        byte[] blob = ReadBlob();
        byte[] publicKey;
        try
        {
            publicKey = Context.PublicKey(blob);
        }
        catch (NativeKeyException ex) when (ex.Status == NativeStatus.KeyInvalid)
        {
            throw new KeyUnusableException($"The Secure Enclave rejects the key in {_keyPath} (corrupt, or made on another Mac): {ex.Detail}", ex);
        }

        return new SecureEnclaveSigningKey(Context, blob, publicKey, KeyClass);
    }

    public ISigningKey Create()
    {
        if (KeyExists())
        {
            throw new IOException($"{_keyPath} already exists; deleting it is an explicit re-key.");
        }

        byte[] blob = Context.CreateKey(_access);
        byte[] publicKey = Context.PublicKey(blob);
        SecureFile.CreateNewAtomic(_keyPath, blob);
        return new SecureEnclaveSigningKey(Context, blob, publicKey, KeyClass);
    }

    public void Delete()
    {
        // The Enclave keeps nothing for a CryptoKit key: the blob is the key, so removing the file destroys it.
        if (KeyExists())
        {
            File.Delete(_keyPath);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _context?.Dispose();
            _context = null;
        }
    }

    private NativeKeyContext Context
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _context ??= NativeKeyContext.Open(config: null);
            }
        }
    }

    private byte[] ReadBlob()
    {
        // A blob others can read is a key others can use on this Mac; refuse loudly instead of signing with it.
        (_, UnixFileMode mode, bool isLink) = LStatOrNotFound(_keyPath);
        if (isLink)
        {
            throw new UnauthorizedAccessException($"{_keyPath} is a symbolic link; refusing to use it as a key.");
        }

        if ((mode & GroupOrOtherAccess) != 0)
        {
            throw new UnauthorizedAccessException(
                $"{_keyPath} has mode {Convert.ToString((int)mode, 8)}; a Secure Enclave blob must be 0600 because anyone who can read it can sign with it on this Mac.");
        }

        byte[] blob;
        try
        {
            blob = SecureFile.ReadAllBytes(_keyPath, MaxBlobBytes);
        }
        catch (InvalidDataException ex)
        {
            throw new KeyUnusableException($"{_keyPath} is too large to be a Secure Enclave key blob.", ex);
        }

        return blob.Length > 0 ? blob : throw new KeyUnusableException($"{_keyPath} is empty.");
    }

    private static (uint Uid, UnixFileMode Mode, bool IsLink) LStatOrNotFound(string path)
    {
        if (!File.Exists(path) && !SecureFile.IsSymbolicLink(path))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        (uint uid, UnixFileMode mode, bool isLink, _) = FileStatus.LStat(path);
        return (uid, mode, isLink);
    }
}
