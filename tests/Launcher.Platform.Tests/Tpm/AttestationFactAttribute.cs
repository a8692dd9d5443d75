using Launcher.Platform.Native;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// A fact that needs an endorsed swtpm (swtpm_setup with swtpm-localca), tpm2-tools and the native shim. Skipped
/// with the reason on a developer machine without them; under CI=true it runs and fails loudly instead.
/// </summary>
internal sealed class AttestationFactAttribute : FactAttribute
{
    private static readonly string[] s_requiredTools =
    [
        "swtpm", "swtpm_setup", "swtpm_localca", "swtpm_cert", "certtool", "swtpm_ioctl", "tpm2_getcap",
        "tpm2_makecredential", "tpm2_evictcontrol", "tpm2_changeauth", "tpm2_nvdefine", "tpm2_nvwrite", "tpm2_createek", "tpm2_flushcontext", "tpm2_startup",
    ];

    public AttestationFactAttribute()
    {
        if (!IsEnvironmentReady() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "swtpm, swtpm-tools (swtpm_setup, swtpm_localca), tpm2-tools or the native library is missing: run scripts/setup.sh";
        }
    }

    private static bool IsEnvironmentReady()
    {
        return File.Exists(NativeKeyLibrary.LibraryPath) && s_requiredTools.All(IsOnPath);
    }

    private static bool IsOnPath(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
    }
}
