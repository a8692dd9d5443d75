using Launcher.Platform.Attestation;

namespace Launcher.Platform.Keys;

/// <summary>
/// Where one P-256 signing key lives: hardware (Secure Enclave, TPM) or a software file.
/// A store never creates a key on its own: <see cref="Load"/> on a missing key says so, and the identity
/// lifecycle decides whether creating one is allowed (never after a key was lost).
/// </summary>
internal interface IKeyStore : IDisposable
{
    /// <summary>One of <c>Launcher.Contracts.KeyClasses</c>.</summary>
    string KeyClass { get; }

    /// <summary>Whether this store's hardware can hold keys here and now, with the reason when it cannot.</summary>
    KeyStoreAvailability CheckAvailability();

    /// <summary>True when any key material for this store exists on disk (even if it turns out unusable).</summary>
    bool KeyExists();

    /// <summary>Loads the key. Throws <see cref="KeyUnusableException"/> when it exists but cannot be used,
    /// and <see cref="FileNotFoundException"/> when there is none.</summary>
    ISigningKey Load();

    /// <summary>Creates a new key and persists it atomically. Throws <see cref="IOException"/> when one exists.</summary>
    ISigningKey Create();

    /// <summary>Deletes the key material (an explicit admin act: the next key is a new identity).</summary>
    void Delete();

    /// <summary>The TPM attestation primitives of this store: real for the TPM store; every other store says
    /// "not supported" (a default here, so that test doubles need not implement it).</summary>
    ITpmAttestation Attestation => new UnsupportedTpmAttestation($"the {KeyClass} key store has no TPM attestation");
}
