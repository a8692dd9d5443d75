using Launcher.Ctl.Doctor;

namespace Launcher.Ctl.Tests.Doctor;

/// <summary>A machine with fixed answers: paths, disk, login sessions and the fleet server's clock.</summary>
internal sealed class FakeDoctorHost : IDoctorHost
{
    private const UnixFileMode Rwx = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public Dictionary<string, PathFacts> Paths { get; } = new(StringComparer.Ordinal);

    public bool IsMacOS { get; init; }

    public uint EffectiveUid { get; init; }

    public DateTimeOffset Now { get; init; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public (long Available, long Total)? Space { get; set; } = (10L << 30, 100L << 30);

    public IReadOnlyList<LoggedInUser>? Users { get; set; } = [];

    public DateTimeOffset? ServerDate { get; set; }

    public List<Uri> ServersAsked { get; } = [];

    /// <summary>A healthy production layout: root-owned socket 0666 in a 0755 directory, state 0700.</summary>
    public static FakeDoctorHost Healthy(string socket, string stateDirectory)
    {
        var host = new FakeDoctorHost();
        host.Paths[socket] = new PathFacts(0, (UnixFileMode)0b110_110_110, IsSocket: true, IsDirectory: false, IsSymbolicLink: false);
        host.Paths[Path.GetDirectoryName(socket)!] = new PathFacts(0, (UnixFileMode)0b111_101_101, false, true, false);
        host.Paths[stateDirectory] = new PathFacts(0, Rwx, false, true, false);
        return host;
    }

    public PathFacts? Stat(string path) => Paths.GetValueOrDefault(path);

    public (long Available, long Total)? Disk(string path) => Space;

    public Task<(IReadOnlyList<LoggedInUser>? Users, string? Error)> LoggedInUsersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(IReadOnlyList<LoggedInUser>?, string?)>((Users, Users is null ? "no loginctl, no who" : null));

    public Task<(DateTimeOffset? Date, string? Error)> ServerDateAsync(Uri server, CancellationToken cancellationToken)
    {
        ServersAsked.Add(server);
        return Task.FromResult<(DateTimeOffset?, string?)>((ServerDate, ServerDate is null ? "connection refused" : null));
    }
}
