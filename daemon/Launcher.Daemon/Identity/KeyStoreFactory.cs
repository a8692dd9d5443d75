using Launcher.Contracts;
using Launcher.Platform.Keys;

namespace Launcher.Daemon.Identity;

/// <summary>
/// Chooses the machine key store from <c>--key-store</c>: <c>auto</c> takes the platform's hardware when it is
/// available and otherwise falls back to software with a loud warning; an explicit choice is taken as is.
/// The only place that asks which OS this is.
/// </summary>
internal static class KeyStoreFactory
{
    public const string SoftwareKeyFile = "machine-key.software.p8";

    public static KeyStoreSelection Create(DaemonOptions options)
    {
        string state = options.StateDirectory;
        switch (options.KeyStore)
        {
            case "software":
                return new KeyStoreSelection(new SoftwareKeyStore(Path.Combine(state, SoftwareKeyFile), KeyClasses.Software), ["the machine key is a software key (--key-store software): no hardware protection"]);
            case "auto":
                return new KeyStoreSelection(new SoftwareKeyStore(Path.Combine(state, SoftwareKeyFile), KeyClasses.Software), ["no hardware key store is available here; using a software key"]);
            default:
                throw new ArgumentException($"Unknown key store '{options.KeyStore}': use auto, secure-enclave, tpm or software.");
        }
    }
}
