using System.Globalization;
using Launcher.Platform.Ipc;
using Launcher.Platform.Processes;

namespace Launcher.Ctl.Doctor;

/// <summary>The real machine: lstat, statvfs, loginctl or who, and an HTTPS HEAD for the fleet server's clock.</summary>
internal sealed class SystemDoctorHost : IDoctorHost
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(5);

    public bool IsMacOS => OperatingSystem.IsMacOS();

    public uint EffectiveUid => ProcessIdentity.EffectiveUid;

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public PathFacts? Stat(string path)
    {
        try
        {
            return PathFacts.Read(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public (long Available, long Total)? Disk(string path)
    {
        try
        {
            var drive = new DriveInfo(path);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public async Task<(IReadOnlyList<LoggedInUser>? Users, string? Error)> LoggedInUsersAsync(CancellationToken cancellationToken)
    {
        if (!IsMacOS)
        {
            ProcessResult? loginctl = await RunAsync("loginctl", ["list-users", "--no-legend", "--no-pager"], cancellationToken).ConfigureAwait(false);
            if (loginctl is { Succeeded: true })
            {
                return (ParseLoginctl(loginctl.StandardOutput), null);
            }
        }

        ProcessResult? who = await RunAsync("who", [], cancellationToken).ConfigureAwait(false);
        if (who is not { Succeeded: true })
        {
            return (null, "neither loginctl nor who answered");
        }

        var users = new List<LoggedInUser>();
        foreach (string name in ParseWho(who.StandardOutput))
        {
            ProcessResult? id = await RunAsync("id", ["-u", name], cancellationToken).ConfigureAwait(false);
            if (id is { Succeeded: true } && uint.TryParse(id.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint uid))
            {
                users.Add(new LoggedInUser(uid, name));
            }
        }

        return (users, null);
    }

    public async Task<(DateTimeOffset? Date, string? Error)> ServerDateAsync(Uri server, CancellationToken cancellationToken)
    {
        using var handler = new HttpClientHandler
        {
            // Only the server's clock is read here, nothing is trusted or sent: the daemon pins the fleet's CA itself,
            // which a plain HTTP client does not know.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, server);
            using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Headers.Date is DateTimeOffset date ? (date, null) : (null, "the server's answer has no Date header");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (null, ex.Message);
        }
    }

    internal static IReadOnlyList<LoggedInUser> ParseLoginctl(string output)
    {
        var users = new List<LoggedInUser>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid))
            {
                users.Add(new LoggedInUser(uid, fields[1]));
            }
        }

        return users;
    }

    internal static IReadOnlyList<string> ParseWho(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries)[0])
            .Distinct(StringComparer.Ordinal)];

    private static async Task<ProcessResult?> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        // Helpers run by absolute path only (ProcessRunner's rule): the system's own directories.
        string? path = new[] { "/usr/bin", "/bin", "/usr/sbin" }.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        try
        {
            return await ProcessRunner.RunAsync(path, arguments, s_commandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }
}
