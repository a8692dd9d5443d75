using Launcher.Contracts;
using Launcher.Platform.Keys;
using Launcher.Platform.Native;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.UserKeys;

/// <summary>
/// Opens this user's fallback key for <c>--user-key</c>, creating it on first use. The one place with the
/// operating-system checks for user keys. Key material that exists but cannot be used (corrupt, wrong mode, from
/// another Mac) is reported and left alone: the agent then offers no user key rather than a silent new one.
/// </summary>
internal static class UserKeyFactory
{
    public const string SoftwareFileName = "user-key.p8";
    public const string SecureEnclaveFileName = "user-key.se";

    /// <summary>The key, or null (mode none, or a problem that <paramref name="logger"/> was told about).</summary>
    public static UserKey? Open(string mode, string stateDirectory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        string softwarePath = Path.Combine(stateDirectory, SoftwareFileName);
        string enclavePath = Path.Combine(stateDirectory, SecureEnclaveFileName);
        IKeyStore? store;
        switch (mode)
        {
            case UserKeyMode.None:
                return null;
            case UserKeyMode.Software:
                store = new SoftwareKeyStore(softwarePath, KeyClasses.UserSoftware);
                break;
            case UserKeyMode.SecureEnclave:
                store = OpenSecureEnclave(enclavePath, requireAvailable: true, logger);
                if (store is null)
                {
                    return null;
                }

                break;
            case UserKeyMode.Auto:
                store = ChooseAuto(softwarePath, enclavePath, logger);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "none, auto, software or secure-enclave");
        }

        return LoadOrCreate(store, logger);
    }

    // An existing key wins over a better store: a user key that changes on its own is as bad as a machine key that does.
    private static IKeyStore ChooseAuto(string softwarePath, string enclavePath, ILogger logger)
    {
        if (OperatingSystem.IsMacOS())
        {
            var enclave = new SecureEnclaveKeyStore(enclavePath, KeyClasses.UserSecureEnclave, NativeAccess.AfterFirstUnlock);
            if (enclave.KeyExists())
            {
                return enclave;
            }

            var software = new SoftwareKeyStore(softwarePath, KeyClasses.UserSoftware);
            if (software.KeyExists())
            {
                enclave.Dispose();
                return software;
            }

            KeyStoreAvailability availability = enclave.CheckAvailability();
            if (availability.IsAvailable)
            {
                return enclave;
            }

            enclave.Dispose();
            Log.UserKeyFallback(logger, availability.Reason);
            return software;
        }

        return new SoftwareKeyStore(softwarePath, KeyClasses.UserSoftware);
    }

    private static SecureEnclaveKeyStore? OpenSecureEnclave(string enclavePath, bool requireAvailable, ILogger logger)
    {
        if (!OperatingSystem.IsMacOS())
        {
            Log.UserKeyRefused(logger, "secure-enclave", "the Secure Enclave exists on macOS only");
            return null;
        }

        var enclave = new SecureEnclaveKeyStore(enclavePath, KeyClasses.UserSecureEnclave, NativeAccess.AfterFirstUnlock);
        if (requireAvailable && !enclave.KeyExists() && enclave.CheckAvailability() is { IsAvailable: false } availability)
        {
            enclave.Dispose();
            Log.UserKeyRefused(logger, "secure-enclave", availability.Reason);
            return null;
        }

        return enclave;
    }

    private static UserKey? LoadOrCreate(IKeyStore store, ILogger logger)
    {
        try
        {
            if (store.KeyExists())
            {
                var loaded = new UserKey(store.Load(), store);
                Log.UserKeyLoaded(logger, loaded.KeyClass, loaded.PublicKey.Thumbprint);
                return loaded;
            }

            var created = new UserKey(store.Create(), store);
            Log.UserKeyCreated(logger, created.KeyClass, created.PublicKey.Thumbprint);
            return created;
        }
        catch (KeyUnusableException ex)
        {
            Log.UserKeyUnusable(logger, store.KeyClass, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            Log.UserKeyUnusable(logger, store.KeyClass, ex.Message);
        }
        catch (NativeKeyException ex)
        {
            // The Enclave refused now (e.g. before the first unlock): not lost, just not offered this time.
            Log.UserKeyRefused(logger, store.KeyClass, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            Log.UserKeyUnusable(logger, store.KeyClass, ex.Message);
        }

        store.Dispose();
        return null;
    }
}
