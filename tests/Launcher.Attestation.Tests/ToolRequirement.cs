namespace Launcher.Attestation.Tests;

/// <summary>
/// Finds tpm2-tools' programs. Outside CI a missing tool skips the test with the reason; under CI (CI=true), where
/// scripts/setup.sh installs tpm2-tools, it fails instead.
/// </summary>
internal static class ToolRequirement
{
    public static string? Find(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string path = Path.Combine(directory, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    public static string? SkipReason(params string[] tools)
    {
        string[] missing = [.. tools.Where(t => Find(t) is null)];
        if (missing.Length == 0 || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return $"{string.Join(", ", missing)} not on PATH (install tpm2-tools and swtpm: scripts/setup.sh)";
    }
}
