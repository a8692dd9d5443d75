namespace Launcher.Platform.Tests.Configuration;

/// <summary>A fact that needs plistutil (libplist-utils): skipped with the reason locally, required under CI=true.</summary>
internal sealed class PlistUtilFactAttribute : FactAttribute
{
    public PlistUtilFactAttribute()
    {
        if (Find() is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "plistutil is not installed: run scripts/setup.sh (libplist-utils)";
        }
    }

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "plistutil"))
            .FirstOrDefault(File.Exists);
}
