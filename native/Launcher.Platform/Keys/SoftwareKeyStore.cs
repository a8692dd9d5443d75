using System.Security.Cryptography;
using Launcher.Platform.Attestation;
using Launcher.Platform.Files;

namespace Launcher.Platform.Keys;

/// <summary>
/// A P-256 key in a 0600 file (PKCS#8 DER), written atomically and read without following links. Class
/// <c>software</c> for the daemon (no hardware: development, CI, VMs, old Macs) or <c>user-software</c> for an
/// agent's fallback key.
/// </summary>
internal sealed class SoftwareKeyStore : IKeyStore
{
    private readonly string _path;

    public SoftwareKeyStore(string path, string keyClass)
    {
        _path = path;
        KeyClass = keyClass;
    }

    public string KeyClass { get; }

    /// <summary>Always "not supported": a software key has no hardware to attest.</summary>
    public ITpmAttestation Attestation { get; } = new UnsupportedTpmAttestation("TPM attestation is not supported for a software key: no hardware holds it");

    public KeyStoreAvailability CheckAvailability() =>
        KeyStoreAvailability.Available("software key in " + _path + " (no hardware protection)");

    public bool KeyExists() => File.Exists(_path) || SecureFile.IsSymbolicLink(_path);

    public ISigningKey Load()
    {
        byte[] pkcs8;
        try
        {
            pkcs8 = SecureFile.ReadAllBytes(_path, maxBytes: 4096);
        }
        catch (FileNotFoundException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new KeyUnusableException($"{_path} cannot be read: {ex.Message}", ex);
        }

        ECDsa key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out int read);
            ECParameters parameters = key.ExportParameters(false);
            if (read != pkcs8.Length || parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new KeyUnusableException($"{_path} does not hold a P-256 key.");
            }
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new KeyUnusableException($"{_path} is not a valid PKCS#8 key (corrupt or truncated).", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return new SoftwareSigningKey(key, KeyClass);
    }

    public ISigningKey Create()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            SecureFile.CreateNewAtomic(_path, pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return Load();
    }

    public void Delete() => SecureFile.TryDelete(_path);

    public void Dispose()
    {
    }
}
