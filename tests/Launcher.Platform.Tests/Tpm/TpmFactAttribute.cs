using Launcher.Platform.Native;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

/// <summary>
/// A fact that needs swtpm, tpm2-tools and the native shim. On a developer machine without them it is reported as
/// skipped with the reason; in CI (CI=true) it runs and fails loudly, so a broken setup never passes as green.
/// </summary>
internal sealed class TpmFactAttribute : FactAttribute
{
    private static readonly string[] s_requiredTools = ["swtpm", "swtpm_ioctl", "tpm2_createprimary", "tpm2_load", "tpm2_readpublic", "tpm2_getcap", "tpm2_startup"];

    public TpmFactAttribute()
    {
        if (!IsEnvironmentReady() && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "swtpm or the native library is missing: run scripts/setup.sh";
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
