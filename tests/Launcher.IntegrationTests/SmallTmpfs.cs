using System.Diagnostics;

namespace Launcher.IntegrationTests;

/// <summary>A small tmpfs mounted over a directory (root only), to run out of space on purpose.</summary>
internal sealed class SmallTmpfs : IAsyncDisposable
{
    private static readonly Lazy<string?> s_unavailable = new(Probe);
    private readonly string _path;

    private SmallTmpfs(string path)
    {
        _path = path;
    }

    /// <summary>Null when this machine lets the test mount a tmpfs, otherwise why not.</summary>
    public static string? Unavailable => s_unavailable.Value;

    public static async Task<SmallTmpfs> MountAsync(string path, string size)
    {
        (int exit, string output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        if (exit != 0)
        {
            throw new InvalidOperationException($"mount tmpfs on {path} failed: {output}");
        }

        return new SmallTmpfs(path);
    }

    /// <summary>Writes zeros to <paramref name="file"/> until the filesystem has no space left.</summary>
    public static void Fill(string file)
    {
        var block = new byte[64 * 1024];
        using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Whatever part of the last block fit stays.
        }

        try
        {
            for (int size = block.Length / 2; size > 0; size /= 2)
            {
                stream.Write(block, 0, size);
            }
        }
        catch (IOException)
        {
            // Already full to the last byte the filesystem hands out.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Lazy: a daemon that is still being killed may hold files on it for a moment.
        await RunAsync("umount", "-l", _path);
    }

    private static string? Probe()
    {
        if (Requirements.MissingRoot() is string notRoot)
        {
            return notRoot;
        }

        string directory = Directory.CreateTempSubdirectory("launcher-tmpfs-probe-").FullName;
        try
        {
            (int exit, string output) = RunAsync("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", directory).GetAwaiter().GetResult();
            if (exit != 0)
            {
                return "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): " + output.Trim();
            }

            RunAsync("umount", directory).GetAwaiter().GetResult();
            return null;
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
