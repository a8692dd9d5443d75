using Launcher.Contracts;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;

namespace Launcher.Daemon.Identity;

/// <summary>
/// Chooses the machine key store from <c>--key-store</c>: <c>auto</c> takes the platform's hardware (Secure Enclave
/// on macOS, TPM on Linux) when it is available and otherwise falls back to software with a loud warning; an
/// explicit choice is taken as is, and if its hardware is missing the identity reports it as unavailable.
/// The only place that asks which OS this is for keys.
/// </summary>
internal static class KeyStoreFactory
{
    public const string SoftwareKeyFile = "machine-key.software.p8";
    public const string SecureEnclaveKeyFile = "machine-key.se";

    public static KeyStoreSelection Create(DaemonOptions options)
    {
        switch (options.KeyStore)
        {
            case "software":
                return new KeyStoreSelection(Software(options), ["the machine key is a software key (--key-store software): no hardware protection"]);
            case "tpm":
                return new KeyStoreSelection(new TpmKeyStore(options.StateDirectory, options.TpmTcti), []);
            case "secure-enclave":
                return new KeyStoreSelection(SecureEnclave(options), []);
            case "auto":
                return Auto(options);
            default:
                throw new ArgumentException($"Unknown key store '{options.KeyStore}': use auto, secure-enclave, tpm or software.");
        }
    }

    private static KeyStoreSelection Auto(DaemonOptions options)
    {
        IKeyStore hardware = OperatingSystem.IsMacOS() ? SecureEnclave(options) : new TpmKeyStore(options.StateDirectory, options.TpmTcti);
        KeyStoreAvailability availability = hardware.CheckAvailability();
        if (availability.IsAvailable)
        {
            return new KeyStoreSelection(hardware, []);
        }

        if (hardware.KeyExists())
        {
            // The identity already lives in this hardware: wait for it to come back, never fall back to a new key.
            return new KeyStoreSelection(hardware, [$"the machine key lives in the {hardware.KeyClass} store, which is not available now ({availability.Reason})"]);
        }

        hardware.Dispose();
        return new KeyStoreSelection(Software(options), [$"no hardware key store ({availability.Reason}); the machine key is a SOFTWARE key without hardware protection"]);
    }

    private static SoftwareKeyStore Software(DaemonOptions options) =>
        new(Path.Combine(options.StateDirectory, SoftwareKeyFile), KeyClasses.Software);

    private static SecureEnclaveKeyStore SecureEnclave(DaemonOptions options) =>
        new(Path.Combine(options.StateDirectory, SecureEnclaveKeyFile), KeyClasses.SecureEnclave, NativeAccess.Always);
}
