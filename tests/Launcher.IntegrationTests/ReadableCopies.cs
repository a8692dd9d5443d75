using System.Collections.Concurrent;

namespace Launcher.IntegrationTests;

/// <summary>
/// Copies of our executables that other uids can run. A checkout (and the temporary directory of a CI run) may sit
/// in a directory other users cannot enter, so a process started as another uid runs a copy of the executable's
/// directory in a world-readable temporary directory instead: the files beside it and its <c>runtimes/</c> tree
/// (native libraries), without the RID-specific build folders. One copy per directory and test run.
/// </summary>
internal static class ReadableCopies
{
    private const UnixFileMode Readable = (UnixFileMode)0b111_101_101;

    private static readonly ConcurrentDictionary<string, Lazy<string>> s_copies = new(StringComparer.Ordinal);
    private static readonly Lazy<string> s_root = new(CreateRoot);

    /// <summary>The path of <paramref name="file"/> (an executable, a helper script) inside its directory's readable copy.</summary>
    public static string Of(string file)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string copy = s_copies.GetOrAdd(directory, d => new Lazy<string>(() => Copy(d))).Value;
        return Path.Combine(copy, Path.GetFileName(file));
    }

    private static string Copy(string directory)
    {
        string target = Path.Combine(s_root.Value, Guid.NewGuid().ToString("N")[..8] + "-" + Path.GetFileName(directory));
        CopyTree(directory, target, topLevel: true);
        return target;
    }

    private static void CopyTree(string source, string target, bool topLevel)
    {
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, Readable);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            string copy = Path.Combine(target, Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            File.SetUnixFileMode(copy, (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? Readable : (UnixFileMode)0b110_100_100);
        }

        foreach (string child in Directory.EnumerateDirectories(source))
        {
            // runtimes/ holds the native libraries the framework-dependent build loads; other folders at the top
            // are RID-specific build outputs (linux-x64/, publish/) that nothing here runs.
            if (!topLevel || Path.GetFileName(child) == "runtimes")
            {
                CopyTree(child, Path.Combine(target, Path.GetFileName(child)), topLevel: false);
            }
        }
    }

    private static string CreateRoot()
    {
        string root = Directory.CreateTempSubdirectory("launcher-it-bin-").FullName;
        File.SetUnixFileMode(root, Readable);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A process still running from the copy; the temporary directory is cleaned up by the system.
            }
        };
        return root;
    }
}
