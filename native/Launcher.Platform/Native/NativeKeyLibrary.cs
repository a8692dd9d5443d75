using System.Reflection;
using System.Runtime.InteropServices;

namespace Launcher.Platform.Native;

/// <summary>
/// The binding of native/include/launcher_native.h. The library is loaded only from an absolute path beside this
/// assembly (liblauncher_native.so on Linux, .dylib on macOS), never through an environment variable or the
/// loader's search path.
/// </summary>
internal static partial class NativeKeyLibrary
{
    public const string LibraryName = "liblauncher_native";
    public const uint ExpectedAbiVersion = 2;

    static NativeKeyLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeKeyLibrary).Assembly, Resolve);
    }

    /// <summary>The absolute path the library is loaded from.</summary>
    public static string LibraryPath
    {
        get
        {
            string file = OperatingSystem.IsMacOS() ? LibraryName + ".dylib" : LibraryName + ".so";
            return Path.Combine(AppContext.BaseDirectory, file);
        }
    }

    /// <summary>Whether the library file is present and speaks our ABI version; the reason otherwise.</summary>
    public static bool TryCheckLoadable(out string reason)
    {
        if (!File.Exists(LibraryPath))
        {
            reason = $"the native key library is not installed at {LibraryPath}";
            return false;
        }

        try
        {
            uint version = lnk_abi_version();
            if (version != ExpectedAbiVersion)
            {
                reason = $"the native key library at {LibraryPath} speaks ABI {version}, expected {ExpectedAbiVersion}";
                return false;
            }
        }
        catch (DllNotFoundException ex)
        {
            reason = $"the native key library at {LibraryPath} cannot be loaded: {ex.Message}";
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            reason = $"{LibraryPath} is not a Launcher native key library";
            return false;
        }

        reason = "loaded";
        return true;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }

        // Only the absolute path: a missing file is a clear DllNotFoundException, not a search elsewhere.
        return NativeLibrary.Load(LibraryPath);
    }

    [LibraryImport(LibraryName)]
    internal static partial uint lnk_abi_version();

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_tpm_properties(IntPtr context, out uint manufacturer, out uint firmwareVersion1, out uint firmwareVersion2, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int lnk_open(string? config, out IntPtr context, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static partial void lnk_close(IntPtr context);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_available(IntPtr context, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_create_key(IntPtr context, uint accessFlags, byte* blob, ref nuint blobLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_public_key(IntPtr context, byte* blob, nuint blobLength, byte* publicKey, ref nuint publicKeyLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_sign_digest(IntPtr context, byte* blob, nuint blobLength, byte* digest, nuint digestLength, byte* signature, ref nuint signatureLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_ek_public(IntPtr context, uint ekKind, byte* publicArea, ref nuint publicAreaLength, byte* publicKey, ref nuint publicKeyLength, out uint rsaExponent, out uint source, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_ek_certificate(IntPtr context, uint ekKind, byte* certificate, ref nuint certificateLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_ek_chain(IntPtr context, byte* certificates, ref nuint certificatesLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_create_ak(IntPtr context, byte* blob, ref nuint blobLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_ak_public(IntPtr context, byte* akBlob, nuint akBlobLength, byte* publicArea, ref nuint publicAreaLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_activate_credential(IntPtr context, uint ekKind, byte* akBlob, nuint akBlobLength, byte* credentialBlob, nuint credentialBlobLength, byte* encryptedSecret, nuint encryptedSecretLength, byte* credential, ref nuint credentialLength, byte* detail, nuint detailLength);

    [LibraryImport(LibraryName)]
    internal static unsafe partial int lnk_certify(IntPtr context, byte* akBlob, nuint akBlobLength, byte* keyBlob, nuint keyBlobLength, byte* nonce, nuint nonceLength, byte* attest, ref nuint attestLength, byte* signature, ref nuint signatureLength, byte* keyPublicArea, ref nuint keyPublicAreaLength, byte* detail, nuint detailLength);
}
